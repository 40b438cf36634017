package codeactions

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestListingSeesNewFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("SELECT 1;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("0001_a.up.sql")
	if n := listingOf(dir).nextNumber(numberedName, "0001"); n != 2 {
		t.Fatalf("next number = %d, want 2", n)
	}
	if listingOf(dir) != listingOf(dir) {
		t.Error("an unchanged directory is listed again")
	}
	write("0005_b.up.sql")
	// Make the change visible even on file systems with coarse timestamps.
	later := time.Now().Add(2 * time.Second)
	if err := os.Chtimes(dir, later, later); err != nil {
		t.Fatal(err)
	}
	if n := listingOf(dir).nextNumber(numberedName, "0001"); n != 6 {
		t.Errorf("after adding 0005: next number = %d, want 6", n)
	}
	// The file's own number counts even when it is not on disk yet (an unsaved buffer).
	if n := listingOf(dir).nextNumber(numberedName, "0009"); n != 10 {
		t.Errorf("own number 0009: next = %d, want 10", n)
	}
}
