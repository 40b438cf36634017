package store

import (
	"context"
	"database/sql"
)

// ApplyCoupon is the previous release's coupon code path.
func ApplyCoupon(ctx context.Context, db *sql.DB, id int64, code string) error {
	_, err := db.ExecContext(ctx, "UPDATE orders SET coupon_code = $2 WHERE id = $1", id, code)
	return err
}
