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
	data map[string][][]byte
}

// spliceMark begins a placeholder: a NUL no JSON migsafe writes itself starts with.
const spliceMark = "\x00migsafe-splice:"

// spliceJSON is how spliceMark reads once marshalled.
var spliceJSON = []byte(`"\u0000migsafe-splice:`)

// splice registers the parts of one JSON value, written one after the other, and
// returns what to give jsonrpc2 instead; a nil s gives the value itself.
func (s *stream) splice(parts ...[]byte) any {
	if s == nil {
		return rawJSON(bytes.Join(parts, nil))
	}
	sp := &s.splices
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.data == nil {
		sp.data = map[string][][]byte{}
	}
	sp.next++
	key := spliceMark + strconv.FormatUint(sp.next, 10)
	sp.data[key] = parts
	return key
}

// appendUnspliced appends what raw (a message's marshalled params or result) stands
// for, forgetting it; raw itself when it is no placeholder.
func (s *stream) appendUnspliced(b []byte, raw json.RawMessage) []byte {
	if !bytes.HasPrefix(raw, spliceJSON) {
		return append(b, raw...)
	}
	var key string
	if json.Unmarshal(raw, &key) != nil {
		return append(b, raw...)
	}
	sp := &s.splices
	sp.mu.Lock()
	parts, ok := sp.data[key]
	delete(sp.data, key)
	sp.mu.Unlock()
	if !ok {
		return append(b, raw...)
	}
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}
