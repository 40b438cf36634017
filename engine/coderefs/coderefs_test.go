package coderefs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/coderefs/coderefstest"
)

func describe(r coderefs.Revision) string {
	var parts []string
	for _, u := range r.Uses {
		parts = append(parts, fmt.Sprintf("%s:%d %s %s", u.Path, u.Line, u.Kind, u.Detail))
	}
	return strings.Join(parts, "\n")
}

func TestShopDump(t *testing.T) {
	dir := coderefstest.Repo(t, "../../testdata/coderefs/shop", "../../testdata/coderefs/shop-base")
	ws := coderefs.Open(dir, coderefs.Options{BaseRef: coderefstest.BaseTag})
	for _, o := range []coderefs.Object{{"users", "nickname"}, {"users", "email"}, {"accounts", "legacy_code"}, {"orders", "coupon_code"}, {"users", "legacy_flags"}, {"pets", "nickname"}, {"orders", "status"}, {"users", ""}} {
		r := ws.Uses(o)
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		t.Logf("== %s (%d files)\n%s\n-- base (%d files)\n%s", o, r.Head.Files, describe(r.Head), r.Base.Files, describe(*r.Base))
	}
}
