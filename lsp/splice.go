package lsp

import (
	"bytes"
	"encoding/json"
	"strconv"
	"sync"
)

// splices are params and results encoded before they are sent (diagnostics), which
// jsonrpc2 is handed as a short placeholder and the stream writes in its place:
// handed the bytes themselves, jsonrpc2 validates and copies them (escaping HTML on
// the way), a pass over every byte that costs a pull of hundreds of diagnostics a
// tenth of its analysis, and the push of a 5 MB document's tens of milliseconds.
type splices struct {
	mu   sync.Mutex
	next uint64
	data map[string][]byte
}

// spliceMark begins a placeholder: a NUL no JSON migsafe writes itself starts with.
const spliceMark = "\x00migsafe-splice:"

// spliceJSON is how spliceMark reads once marshalled.
var spliceJSON = []byte(`"\u0000migsafe-splice:`)

// splice registers data, which must be valid JSON, and returns what to give jsonrpc2
// instead; a nil s gives data itself.
func (s *stream) splice(data []byte) any {
	if s == nil {
		return rawJSON(data)
	}
	sp := &s.splices
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.data == nil {
		sp.data = map[string][]byte{}
	}
	sp.next++
	key := spliceMark + strconv.FormatUint(sp.next, 10)
	sp.data[key] = data
	return key
}

// unsplice returns the bytes raw (a message's marshalled params or result) stands
// for, forgetting them; raw itself when it is no placeholder.
func (s *stream) unsplice(raw json.RawMessage) json.RawMessage {
	if !bytes.HasPrefix(raw, spliceJSON) {
		return raw
	}
	var key string
	if json.Unmarshal(raw, &key) != nil {
		return raw
	}
	sp := &s.splices
	sp.mu.Lock()
	defer sp.mu.Unlock()
	data, ok := sp.data[key]
	if !ok {
		return raw
	}
	delete(sp.data, key)
	return data
}
