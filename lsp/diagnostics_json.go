package lsp

import (
	"encoding/json"
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
// beyond its analysis.
type encodedDiagnostics struct {
	once sync.Once
	json []byte
}

// of returns the JSON array of diags (empty, never null, for none), encoding it on
// the first call.
func (e *encodedDiagnostics) of(diags []protocol.Diagnostic) []byte {
	e.once.Do(func() { e.json = appendDiagnostics(nil, diags) })
	return e.json
}

// appendDiagnostics appends diags as a JSON array, byte for byte as encoding/json
// writes a non-nil []protocol.Diagnostic. The fields migsafe's diagnostics use are
// written directly; a diagnostic with any other (tags, data, a code description, a
// numeric code) goes through encoding/json.
func appendDiagnostics(b []byte, diags []protocol.Diagnostic) []byte {
	b = append(b, '[')
	for i := range diags {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendDiagnostic(b, &diags[i])
	}
	return append(b, ']')
}

func appendDiagnostic(b []byte, d *protocol.Diagnostic) []byte {
	code, isString := d.Code.(string)
	if d.CodeDescription != nil || d.Tags != nil || d.Data != nil || (d.Code != nil && !isString) ||
		float64(d.Severity) != math.Trunc(float64(d.Severity)) || d.Severity < 0 || d.Severity > 1e6 {
		data, err := json.Marshal(d)
		if err != nil {
			// Every field is plain data: this cannot fail, but an answer must not
			// carry half a diagnostic.
			return append(b, "null"...)
		}
		return append(b, data...)
	}
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
// diagnostics; version < 0 leaves the version out (clearing a closed document).
func encodedPublish(uri protocol.DocumentURI, version int32, diags []byte) []byte {
	b := make([]byte, 0, len(diags)+len(uri)+48)
	b = append(b, `{"uri":`...)
	b = appendString(b, string(uri))
	if version >= 0 {
		b = append(b, `,"version":`...)
		b = strconv.AppendInt(b, int64(version), 10)
	}
	b = append(b, `,"diagnostics":`...)
	b = append(b, diags...)
	return append(b, '}')
}

// encodedFullReport is a full document diagnostic report around already encoded
// diagnostics.
func encodedFullReport(resultID string, items []byte) []byte {
	b := make([]byte, 0, len(items)+len(resultID)+40)
	b = append(b, `{"kind":"full"`...)
	if resultID != "" {
		b = append(b, `,"resultId":`...)
		b = appendString(b, resultID)
	}
	b = append(b, `,"items":`...)
	b = append(b, items...)
	return append(b, '}')
}
