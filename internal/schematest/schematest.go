// Package schematest compiles the JSON Schemas tests validate reports against: SARIF
// 2.1.0 (testdata/sarif) and migsafe's own report schema (docs/report.schema.json).
package schematest

import (
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// SARIFID is the $id the SARIF 2.1.0 schema is known by.
const SARIFID = "https://raw.githubusercontent.com/schemastore/schemastore/master/src/schemas/json/sarif-2.1.0-rtm.5.json"

// Compile reads the schema at path and compiles it under id, failing the test when it
// cannot.
func Compile(t testing.TB, path, id string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return sch
}
