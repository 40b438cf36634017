package report

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/migsafe/migsafe/engine/rules"
	"github.com/migsafe/migsafe/internal/jsonquote"
)

// The JSON report is written by hand, field by field, in exactly the bytes
// encoding/json's Encoder with SetIndent("", "  ") and SetEscapeHTML(false) gives the
// Report struct (TestJSONWriterMatchesEncoder holds the two together). Going through
// reflection and then re-indenting the whole document took longer than analysing the
// files; this writes each file as soon as it is analysed.

// jsonFile appends one file of the "files" array, at the array's indentation, handing
// what it has appended to js.spill between findings.
func (js *jsonStream) jsonFile(b []byte, f *File) []byte {
	const in = "    " // the file object's own indentation
	b = append(b, in+"{\n"...)
	b = jsonField(b, in+"  ", "path", f.Path, true)
	b = jsonField(b, in+"  ", "runner", f.Runner, true)
	b = append(b, in+"  \"pgVersion\": "...)
	b = strconv.AppendInt(b, int64(f.PGVersion), 10)
	b = append(b, ",\n"...)
	b = jsonField(b, in+"  ", "verdict", f.Verdict, true)
	b = append(b, in+"  \"categories\": {\n"...)
	for i, c := range rules.Categories {
		b = jsonField(b, in+"    ", string(c), f.Categories[c], i+1 < len(rules.Categories))
	}
	b = append(b, in+"  },\n"...)
	b = js.jsonFindings(b, "findings", f.Findings, true)
	b = js.jsonFindings(b, "suppressed", f.Suppressed, true)
	b = append(b, in+"  \"errors\": "...)
	b = jsonList(b, in+"  ", len(f.Errors), func(b []byte, i int) []byte {
		e := f.Errors[i]
		b = append(b, in+"    {\n"...)
		b = jsonField(b, in+"      ", "message", e.Message, true)
		b = jsonInt(b, in+"      ", "line", e.Line, true)
		b = jsonInt(b, in+"      ", "column", e.Column, true)
		b = jsonField(b, in+"      ", "kind", e.Kind, false)
		return append(b, in+"    }"...)
	})
	b = append(b, ",\n"...)
	b = jsonDeploy(b, in+"  ", f.Deploy)
	return append(b, in+"}"...)
}

// jsonDeploy appends a file's "deploy" field (every file has one: encoding/json took
// a tenth of the report's time writing it).
func jsonDeploy(b []byte, in string, d *Deploy) []byte {
	if d == nil {
		return append(b, in+"\"deploy\": null\n"...)
	}
	b = append(b, in+"\"deploy\": {\n"...)
	b = jsonField(b, in+"  ", "order", d.Order, true)
	b = jsonInts(b, in+"  ", "before", d.Before, true)
	b = jsonInts(b, in+"  ", "after", d.After, true)
	b = jsonInts(b, in+"  ", "noSafeOrder", d.NoSafeOrder, false)
	return append(b, in+"}\n"...)
}

// jsonInts appends a field holding a list of numbers (null when nil, as encoding/json
// writes a nil slice).
func jsonInts(b []byte, in, key string, v []int, comma bool) []byte {
	b = jsonKey(b, in, key)
	if v == nil {
		b = append(b, "null"...)
	} else {
		b = jsonList(b, in, len(v), func(b []byte, i int) []byte {
			b = append(b, in+"  "...)
			return strconv.AppendInt(b, int64(v[i]), 10)
		})
	}
	return jsonEnd(b, comma)
}

func (js *jsonStream) jsonFindings(b []byte, key string, fs []*Finding, comma bool) []byte {
	const in = "      " // the key's indentation inside a file
	b = append(b, in+`"`...)
	b = append(b, key...)
	b = append(b, `": `...)
	b = jsonList(b, in, len(fs), func(b []byte, i int) []byte {
		fd := fs[i]
		const fin = in + "    "
		b = append(b, in+"  {\n"...)
		b = jsonField(b, fin, "rule", fd.Rule, true)
		b = jsonField(b, fin, "category", fd.Category, true)
		b = jsonField(b, fin, "status", fd.Status, true)
		b = jsonField(b, fin, "severity", fd.Severity, true)
		b = jsonField(b, fin, "message", fd.Message, true)
		b = jsonField(b, fin, "help", fd.Help, true)
		b = jsonInt(b, fin, "line", fd.Line, true)
		b = jsonInt(b, fin, "column", fd.Column, true)
		b = jsonInt(b, fin, "endLine", fd.EndLine, true)
		b = jsonInt(b, fin, "endColumn", fd.EndColumn, true)
		b = jsonField(b, fin, "statement", fd.Statement, true)
		if fd.Lock == nil {
			b = append(b, fin+"\"lock\": null,\n"...)
		} else {
			b = append(b, fin+"\"lock\": {\n"...)
			b = jsonField(b, fin+"  ", "mode", fd.Lock.Mode, true)
			b = jsonField(b, fin+"  ", "relation", fd.Lock.Relation, true)
			b = jsonBool(b, fin+"  ", "rewrite", fd.Lock.Rewrite, true)
			b = jsonBool(b, fin+"  ", "scan", fd.Lock.Scan, false)
			b = append(b, fin+"},\n"...)
		}
		b = append(b, fin+"\"fixes\": "...)
		b = jsonList(b, fin, len(fd.Fixes), func(b []byte, j int) []byte {
			b = append(b, fin+"  {\n"...)
			b = jsonField(b, fin+"    ", "title", fd.Fixes[j].Title, true)
			b = jsonField(b, fin+"    ", "kind", fd.Fixes[j].Kind, false)
			return append(b, fin+"  }"...)
		})
		b = append(b, ",\n"...)
		b = jsonField(b, fin, "deploy", fd.Deploy, false)
		if len(fd.Uses) > 0 {
			b = append(b[:len(b)-1], ",\n"+fin+"\"uses\": "...)
			b = jsonValue(b, fin, fd.Uses)
			b = append(b, '\n')
		}
		if fd.Reason != "" {
			b = append(b[:len(b)-1], ",\n"...)
			b = jsonField(b, fin, "reason", fd.Reason, false)
		}
		return js.spill(append(b, in+"  }"...))
	})
	if comma {
		b = append(b, ',')
	}
	return append(b, '\n')
}

// jsonValue appends a rarer, nested value (a finding's code uses) through
// encoding/json itself, indented to sit at in.
func jsonValue(b []byte, in string, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(in, "  ")
	if err := enc.Encode(v); err != nil {
		return append(b, "null"...)
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// jsonList appends an array of n items, each written by item at in's indentation
// plus two; an empty array is [].
func jsonList(b []byte, in string, n int, item func(b []byte, i int) []byte) []byte {
	b = append(b, '[')
	for i := 0; i < n; i++ {
		b = append(b, '\n')
		b = item(b, i)
		if i+1 < n {
			b = append(b, ',')
		}
	}
	if n > 0 {
		b = append(b, '\n')
		b = append(b, in...)
	}
	return append(b, ']')
}

// jsonSummary appends the report's end: the summary object and the closing brace.
func jsonSummary(b []byte, s Summary) []byte {
	b = append(b, "  \"summary\": {\n"...)
	b = jsonInt(b, "    ", "files", s.Files, true)
	b = jsonInt(b, "    ", "block", s.Block, true)
	b = jsonInt(b, "    ", "flag", s.Flag, true)
	if s.Unchecked > 0 {
		b = jsonInt(b, "    ", "unchecked", s.Unchecked, true)
	}
	if s.Unverified > 0 {
		b = jsonInt(b, "    ", "unverified", s.Unverified, true)
	}
	b = jsonField(b, "    ", "verdict", s.Verdict, false)
	return append(b, "  }\n}\n"...)
}

// jsonKey appends a key as it is: the keys are the writer's own names (and the
// rule categories), none with a byte JSON escapes (TestJSONWriterMatchesEncoder).
func jsonKey(b []byte, in, key string) []byte {
	b = append(b, in...)
	b = append(b, '"')
	b = append(b, key...)
	return append(b, `": `...)
}

func jsonEnd(b []byte, comma bool) []byte {
	if comma {
		b = append(b, ',')
	}
	return append(b, '\n')
}

func jsonField(b []byte, in, key, v string, comma bool) []byte {
	return jsonEnd(jsonString(jsonKey(b, in, key), v), comma)
}

func jsonInt(b []byte, in, key string, v int, comma bool) []byte {
	return jsonEnd(strconv.AppendInt(jsonKey(b, in, key), int64(v), 10), comma)
}

func jsonBool(b []byte, in, key string, v bool, comma bool) []byte {
	return jsonEnd(strconv.AppendBool(jsonKey(b, in, key), v), comma)
}

// jsonString appends s quoted as encoding/json does without HTML escaping.
func jsonString(b []byte, s string) []byte { return jsonquote.Append(b, s, false) }
