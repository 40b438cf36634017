package lsp

import (
	"encoding/json"
	"hash/maphash"
	"math"
	"strconv"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/migsafe/migsafe/internal/jsonquote"
)

// encodedDiagnostics is a snapshot's diagnostics as JSON, encoded once (on first use,
// after the analysis) and reused by every push and pull of that snapshot. A document
// of a thousand statements has hundreds of diagnostics: encoding them by reflection
// for each answer, then re-validating the bytes, was a third of what a pull cost
// beyond its analysis. An edit changes few of them, so each diagnostic equal to the
// previous snapshot's at the same place is copied from that encoding instead of being
// encoded again (a pull of 402 diagnostics: 0.43 ms encoding, a few µs comparing).
type encodedDiagnostics struct {
	mu   sync.Mutex
	done bool
	json []byte
	// ends[i] is where diagnostic i ends in json (it begins after a '[' or ',').
	ends []int
	// id is the pull's result id: the hash of json, so that a later version whose
	// diagnostics encode alike (an edit that moves or changes no finding) is answered
	// "unchanged" to a client that sends the id it holds, as VS Code does.
	id string
	// prev is the previous snapshot's encoding, when it had one, until this one is
	// made: only a finished encoding is linked, so no chain of snapshots is kept.
	prev *encodedList
}

// encodedList is a finished encoding with the diagnostics it encodes.
type encodedList struct {
	diags []protocol.Diagnostic
	json  []byte
	ends  []int
	id    string // its result id, if one was made
}

// follow links e to the encoding of the previous snapshot's diagnostics, if there is one.
func (e *encodedDiagnostics) follow(prev *encodedDiagnostics, prevDiags []protocol.Diagnostic) {
	prev.mu.Lock()
	defer prev.mu.Unlock()
	if prev.done {
		e.prev = &encodedList{diags: prevDiags, json: prev.json, ends: prev.ends, id: prev.id}
	}
}

// of returns the JSON array of diags (empty, never null, for none), encoding it on
// the first call.
func (e *encodedDiagnostics) of(diags []protocol.Diagnostic) []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.done {
		if p := e.prev; p != nil && sameDiagnostics(diags, p.diags) {
			// Most edits change no diagnostic: the previous encoding is this one (it
			// is never written to), and so is its result id, which need not be
			// hashed again for the pull that follows the edit.
			e.json, e.ends, e.id = p.json, p.ends, p.id
		} else {
			e.json, e.ends = appendDiagnosticsFrom(nil, diags, e.prev)
		}
		e.done, e.prev = true, nil
	}
	return e.json
}

// sameDiagnostics reports lists that encode alike, diagnostic by diagnostic.
func sameDiagnostics(a, b []protocol.Diagnostic) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameDiagnostic(&a[i], &b[i]) {
			return false
		}
	}
	return true
}

// resultSeed keys the result ids: they only need to be stable within one server
// process, which is as long as a client holds them.
var resultSeed = maphash.MakeSeed()

// resultID returns diags' encoding (as of) and the result id naming its content.
func (e *encodedDiagnostics) resultID(diags []protocol.Diagnostic) ([]byte, string) {
	b := e.of(diags)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.id == "" {
		e.id = strconv.FormatUint(maphash.Bytes(resultSeed, b), 36)
	}
	return b, e.id
}

// appendDiagnostics appends diags as a JSON array, byte for byte as encoding/json
// writes a non-nil []protocol.Diagnostic. The fields migsafe's diagnostics use are
// written directly; a diagnostic with any other (tags, data, a code description, a
// numeric code) goes through encoding/json.
func appendDiagnostics(b []byte, diags []protocol.Diagnostic) []byte {
	b, _ = appendDiagnosticsFrom(b, diags, nil)
	return b
}

// appendDiagnosticsFrom is appendDiagnostics copying each diagnostic equal to prev's
// at the same index from prev's encoding; it returns where each one ends in b.
func appendDiagnosticsFrom(b []byte, diags []protocol.Diagnostic, prev *encodedList) ([]byte, []int) {
	if prev != nil && b == nil {
		b = make([]byte, 0, len(prev.json)+len(prev.json)/8)
	}
	ends := make([]int, len(diags))
	b = append(b, '[')
	for i := range diags {
		if i > 0 {
			b = append(b, ',')
		}
		if prev != nil && i < len(prev.diags) && sameDiagnostic(&diags[i], &prev.diags[i]) {
			b = append(b, prev.json[prev.ends[i]-encodedLen(prev, i):prev.ends[i]]...)
		} else {
			b = appendDiagnostic(b, &diags[i])
		}
		ends[i] = len(b)
	}
	return append(b, ']'), ends
}

// encodedLen is how long diagnostic i's encoding in l is: it runs from after the '['
// or ',' that ends the one before.
func encodedLen(l *encodedList, i int) int {
	if i == 0 {
		return l.ends[0] - 1
	}
	return l.ends[i] - l.ends[i-1] - 1
}

// sameDiagnostic reports diagnostics that encode alike and take appendDiagnostic's
// direct path (the fields it writes are all there is to compare).
func sameDiagnostic(a, b *protocol.Diagnostic) bool {
	if !direct(a) || !direct(b) || a.Range != b.Range || a.Severity != b.Severity || a.Code != b.Code ||
		a.Source != b.Source || a.Message != b.Message || len(a.RelatedInformation) != len(b.RelatedInformation) {
		return false
	}
	for i := range a.RelatedInformation {
		if a.RelatedInformation[i] != b.RelatedInformation[i] {
			return false
		}
	}
	return true
}

// direct reports a diagnostic appendDiagnostic writes itself rather than through
// encoding/json.
func direct(d *protocol.Diagnostic) bool {
	_, isString := d.Code.(string)
	return d.CodeDescription == nil && d.Tags == nil && d.Data == nil && (d.Code == nil || isString) &&
		float64(d.Severity) == math.Trunc(float64(d.Severity)) && d.Severity >= 0 && d.Severity <= 1e6
}

func appendDiagnostic(b []byte, d *protocol.Diagnostic) []byte {
	if !direct(d) {
		data, err := json.Marshal(d)
		if err != nil {
			// Every field is plain data: this cannot fail, but an answer must not
			// carry half a diagnostic.
			return append(b, "null"...)
		}
		return append(b, data...)
	}
	code, _ := d.Code.(string)
	b = append(b, `{"range":`...)
	b = appendRange(b, d.Range)
	if d.Severity != 0 {
		b = append(b, `,"severity":`...)
		b = strconv.AppendInt(b, int64(d.Severity), 10)
	}
	if code != "" {
		b = append(b, `,"code":`...)
		b = appendString(b, code)
	}
	if d.Source != "" {
		b = append(b, `,"source":`...)
		b = appendString(b, d.Source)
	}
	b = append(b, `,"message":`...)
	b = appendString(b, d.Message)
	if len(d.RelatedInformation) > 0 {
		b = append(b, `,"relatedInformation":[`...)
		for i, r := range d.RelatedInformation {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"location":{"uri":`...)
			b = appendString(b, string(r.Location.URI))
			b = append(b, `,"range":`...)
			b = appendRange(b, r.Location.Range)
			b = append(b, `},"message":`...)
			b = appendString(b, r.Message)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendRange(b []byte, r protocol.Range) []byte {
	b = append(b, `{"start":`...)
	b = appendPosition(b, r.Start)
	b = append(b, `,"end":`...)
	b = appendPosition(b, r.End)
	return append(b, '}')
}

func appendPosition(b []byte, p protocol.Position) []byte {
	b = append(b, `{"line":`...)
	b = strconv.AppendUint(b, uint64(p.Line), 10)
	b = append(b, `,"character":`...)
	b = strconv.AppendUint(b, uint64(p.Character), 10)
	return append(b, '}')
}

// appendString appends s as a JSON string escaped as encoding/json escapes it by
// default (HTML characters too).
func appendString(b []byte, s string) []byte { return jsonquote.Append(b, s, true) }

// rawJSON is bytes that are already JSON, for a message's params or result.
type rawJSON []byte

func (r rawJSON) MarshalJSON() ([]byte, error) { return r, nil }

// encodedPublish is the params of publishDiagnostics around already encoded
// diagnostics, in parts (for splice: the diagnostics are not copied); version < 0
// leaves the version out (clearing a closed document).
func encodedPublish(uri protocol.DocumentURI, version int32, diags []byte) [][]byte {
	b := make([]byte, 0, len(uri)+48)
	b = append(b, `{"uri":`...)
	b = appendString(b, string(uri))
	if version >= 0 {
		b = append(b, `,"version":`...)
		b = strconv.AppendInt(b, int64(version), 10)
	}
	b = append(b, `,"diagnostics":`...)
	return [][]byte{b, diags, closeBrace}
}

// encodedFullReport is a full document diagnostic report around already encoded
// diagnostics, in parts like encodedPublish's.
func encodedFullReport(resultID string, items []byte) [][]byte {
	b := make([]byte, 0, len(resultID)+40)
	b = append(b, `{"kind":"full"`...)
	if resultID != "" {
		b = append(b, `,"resultId":`...)
		b = appendString(b, resultID)
	}
	b = append(b, `,"items":`...)
	return [][]byte{b, items, closeBrace}
}

var closeBrace = []byte("}")
