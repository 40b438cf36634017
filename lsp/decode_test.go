package lsp

import (
	"encoding/json"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
)

// messageView is what a handler can see of a decoded message.
type messageView struct {
	Kind   string // call, notification, response
	Method string
	ID     string
	Params any // the params' JSON value; "<none>" when there are none
	Result any
	Err    string
}

func viewOf(t *testing.T, m jsonrpc2.Message) messageView {
	t.Helper()
	value := func(raw json.RawMessage) any {
		if len(raw) == 0 {
			return "<none>"
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%q is not JSON: %v", raw, err)
		}
		return v
	}
	var v messageView
	switch m := m.(type) {
	case *jsonrpc2.Call:
		v = messageView{Kind: "call", Method: m.Method(), ID: fmtID(m.ID()), Params: value(m.Params())}
	case *jsonrpc2.Response:
		v = messageView{Kind: "response", ID: fmtID(m.ID()), Result: value(m.Result())}
		if m.Err() != nil {
			v.Err = m.Err().Error()
		}
	case jsonrpc2.Request:
		v = messageView{Kind: "notification", Method: m.Method(), Params: value(m.Params())}
	default:
		t.Fatalf("unknown message type %T", m)
	}
	return v
}

func fmtID(id jsonrpc2.ID) string {
	b, _ := id.MarshalJSON()
	return string(b)
}

// TestDecodeMessageAsJSONRPC2: the server's decoder reads every message as
// jsonrpc2.DecodeMessage does (a request, its method, id and params, or the same
// error), malformed ones included, so the stream answers what it answered before
// (-32700, -32600; a handler's -32602 for bad params).
func TestDecodeMessageAsJSONRPC2(t *testing.T) {
	big := strings.Repeat("SELECT 1;\\n", 20000) // a 200 KB text
	for _, data := range []string{
		`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///a.sql","version":2},"contentChanges":[{"range":{"start":{"line":1,"character":0},"end":{"line":1,"character":3}},"text":"x <y> & \u00e9 \ud83d\ude00"}]}}`,
		`{"jsonrpc":"2.0","id":7,"method":"textDocument/diagnostic","params":{"textDocument":{"uri":"file:///a.sql"},"previousResultId":"<a&b> \u00e9"}}`,
		`{"jsonrpc":"2.0","id":"s-1","method":"textDocument/hover","params":{"textDocument":{"uri":"file:///a.sql"},"position":{"line":0,"character":1}}}`,
		`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///b.sql","languageId":"sql","version":1,"text":"` + big + `"}}}`,
		` { "params" : [1, 2] , "method" : "x", "id" : 3, "jsonrpc" : "2.0" } `,
		`{"jsonrpc":"2.0","method":"x","params":{"a":1}} trailing`,
		`{"jsonrpc":"2.0","Method":"x","PARAMS":{}}`, // keys match regardless of case
		`{"jsonrpc":"2.0","method":"x","params":{"a":1},"params":{"b":2}}`,
		`{"jsonrpc":"2.0","method":"x","params":{"a":1},"params":null}`,
		`{"jsonrpc":"2.0","method":"x","params":{"a":1},"extra":[{"deep":true}]}`,
		`{"jsonrpc":"2.0","method":"x","params":{"a":1},"id":null}`,
		`{"jsonrpc":"2.0","method":"x","params":"a string"}`,
		`{"jsonrpc":"2.0","method":"x","params":7,"id":-1}`,
		// Left to DecodeMessage: the same answer by construction.
		`{"jsonrpc":"2.0","method":"initialized"}`,
		`{"jsonrpc":"2.0","id":1,"method":"shutdown"}`,
		`{"jsonrpc":"2.0","id":1,"method":"shutdown","params":null}`,
		`{"method":"x","params":{}}`,
		`{"jsonrpc":null,"method":"x","params":{}}`,
		`{"jsonrpc":"1.0","method":"x","params":{}}`,
		`{"jsonrpc":2,"method":"x","params":{}}`,
		`{"jsonrpc":"2.0","id":1,"result":{"ok":true}}`,
		`{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"no"}}`,
		`{"jsonrpc":"2.0","id":1}`,
		`{"jsonrpc":"2.0"}`,
		`{"jsonrpc":"2.0","method":"","params":{}}`,
		`{"jsonrpc":"2.0","method":5,"params":{}}`,
		`{"jsonrpc":"2.0","method":"x","params":{},"id":1.5}`,
		`{"jsonrpc":"2.0","method":"x","params":{},"id":99999999999}`,
		`{"jsonrpc":"2.0","method":"x","params":{},"id":{}}`,
		`{"jsonrpc":"2.0","method":"x","params":{"a":}}`,
		`{"jsonrpc":"2.0","method":"x","params":{"a":1}`,
		`{"jsonrpc":"2.0","method":"x\ud800","params":{}}`,
		"{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"t\":\"\xff\"}}",
		`[{"jsonrpc":"2.0","method":"x","params":{}}]`,
		`"a string"`,
		`null`,
		`not json`,
		``,
	} {
		want, wantErr := jsonrpc2.DecodeMessage([]byte(data))
		got, gotErr := decodeMessage([]byte(data))
		name := data
		if len(name) > 80 {
			name = name[:80] + "..."
		}
		if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
			t.Errorf("%s: error %v, jsonrpc2's %v", name, gotErr, wantErr)
			continue
		}
		if wantErr != nil {
			continue
		}
		if g, w := viewOf(t, got), viewOf(t, want); !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, g, w)
		}
	}
}

// TestDecodeEditAllocations: decoding an edit (the bench's one-line change) or a pull
// allocates a few hundred bytes, not DecodeMessage's 32 KB buffer.
func TestDecodeEditAllocations(t *testing.T) {
	for _, data := range []string{
		`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///tmp/bench/0001_big.sql","version":2},"contentChanges":[{"range":{"start":{"line":7,"character":0},"end":{"line":7,"character":50}},"text":"ALTER TABLE users ADD COLUMN c_7 text NOT NULL ;"}]}}`,
		`{"jsonrpc":"2.0","id":12,"method":"textDocument/diagnostic","params":{"textDocument":{"uri":"file:///tmp/bench/0001_big.sql"},"previousResultId":"4f1c2a9e0b7d3e55"}}`,
	} {
		b := []byte(data)
		const runs = 200
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range runs {
			if _, err := decodeMessage(b); err != nil {
				t.Fatal(err)
			}
		}
		runtime.ReadMemStats(&after)
		perMsg := (after.TotalAlloc - before.TotalAlloc) / runs
		allocs := testing.AllocsPerRun(runs, func() { _, _ = decodeMessage(b) })
		if perMsg > 4<<10 || allocs > 12 {
			t.Errorf("decoding %.40s...: %d bytes in %.0f allocations a message, want at most 4 KB in 12", data, perMsg, allocs)
		}
		t.Logf("%.40s...: %d bytes, %.0f allocations (DecodeMessage: %d bytes)", data, perMsg, allocs, decodeBytes(b))
	}
}

func decodeBytes(b []byte) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 200 {
		_, _ = jsonrpc2.DecodeMessage(b)
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / 200
}
