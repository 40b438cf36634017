package locks

import "testing"

func TestIsSystemCatalog(t *testing.T) {
	for name, want := range map[string]bool{
		"pg_catalog.pg_class": true, "pg_class": true, "pg_enum": true, "pg_settings": true,
		"pg_catalog.anything": true, "public.pg_class": false, "PG_CLASS": false, "users": false,
		"pg_users": false, "": false,
	} {
		if got := IsSystemCatalog(name); got != want {
			t.Errorf("IsSystemCatalog(%q) = %v, want %v", name, got, want)
		}
	}
}
