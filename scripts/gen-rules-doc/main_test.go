package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/migsafe/migsafe/engine/rules"
)

// TestRulesDocUpToDate fails when docs/rules.md no longer matches the registry.
func TestRulesDocUpToDate(t *testing.T) {
	got, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, render()) {
		t.Error("docs/rules.md is out of date: run go generate ./cmd/migsafe (or go run ./scripts/gen-rules-doc -o docs/rules.md)")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if want, err := withTable(readme); err != nil || !bytes.Equal(readme, want) {
		t.Errorf("README.md's rule table is out of date (%v): run go generate ./cmd/migsafe", err)
	}
	for _, r := range rules.All {
		if !bytes.Contains(got, []byte("\n## "+r.ID+"\n")) {
			t.Errorf("docs/rules.md has no section for %s", r.ID)
		}
	}
}
