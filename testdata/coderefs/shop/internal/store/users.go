package store

import (
	"context"
	"database/sql"
)

// UserNickname reads a user's nickname.
func UserNickname(ctx context.Context, db *sql.DB, id int64) (string, error) {
	var nick string
	err := db.QueryRowContext(ctx, `
		SELECT u.nickname
		FROM users u
		WHERE u.id = $1`, id).Scan(&nick)
	return nick, err
}

// PetNames has a nickname column of another table: not a use of users.nickname.
func PetNames(ctx context.Context, db *sql.DB) (*sql.Rows, error) {
	return db.QueryContext(ctx, "SELECT nickname FROM pets")
}

// OrdersByStatus filters on orders.status.
func OrdersByStatus(ctx context.Context, db *sql.DB, status string) (*sql.Rows, error) {
	return db.QueryContext(ctx, "SELECT id FROM orders WHERE status = $1 ORDER BY created_at", status)
}

// User is a row of users as sqlx scans it: the tag maps Nick to users.nickname.
type User struct {
	ID   int64  `db:"id"`
	Nick string `db:"nickname"`
}
