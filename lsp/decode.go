package lsp

import (
	"encoding/json"
	"fmt"

	segjson "github.com/segmentio/encoding/json"
	"go.lsp.dev/jsonrpc2"
)

// decodeMessage decodes a message as jsonrpc2.DecodeMessage does, reading it where it
// lies. DecodeMessage reads through a json.Decoder, which copies the message into a
// buffer of at least 32 KB first: 33 KB of garbage for every edit and every pull.
// Here the same decoder (segmentio's, with the same flags, into a struct of the same
// fields) parses the bytes themselves. Anything it does not take as a request with
// params (a response, a message with no method, params absent or null, a version tag
// other than "2.0", any decoding error) goes to DecodeMessage, so that what it
// accepts, rejects and answers (-32700, -32600) stays jsonrpc2's.
func decodeMessage(data []byte) (jsonrpc2.Message, error) {
	var msg wireMessage
	if _, err := segjson.Parse(data, &msg, segjson.ZeroCopy); err != nil || !msg.VersionTag.ok ||
		msg.Method == "" || msg.Params == nil {
		return jsonrpc2.DecodeMessage(data)
	}
	if msg.ID == nil {
		return &inPlaceNotification{method: msg.Method, params: *msg.Params}, nil
	}
	// A call must be a *jsonrpc2.Call (jsonrpc2 answers nothing else), which only
	// NewCall makes from outside: it copies the params, compacted, which for a
	// request's few hundred bytes is far less than the decoder's buffer.
	call, err := jsonrpc2.NewCall(*msg.ID, msg.Method, json.RawMessage(*msg.Params))
	if err != nil {
		return jsonrpc2.DecodeMessage(data)
	}
	return call, nil
}

// wireMessage is jsonrpc2's combined: the fields of every message.
type wireMessage struct {
	VersionTag versionTag       `json:"jsonrpc"`
	ID         *jsonrpc2.ID     `json:"id,omitempty"`
	Method     string           `json:"method"`
	Params     *json.RawMessage `json:"params,omitempty"`
	Result     *json.RawMessage `json:"result,omitempty"`
	Error      *jsonrpc2.Error  `json:"error,omitempty"`
}

// versionTag is the "jsonrpc" member: ok when it is "2.0". jsonrpc2 accepts a message
// without one too; decodeMessage leaves those to it.
type versionTag struct{ ok bool }

func (v *versionTag) UnmarshalJSON(data []byte) error {
	var s string
	if err := segjson.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("failed to Unmarshal: %w", err)
	}
	if s != jsonrpc2.Version {
		return fmt.Errorf("invalid RPC version %v", s)
	}
	v.ok = true
	return nil
}

// inPlaceNotification is a notification whose params are the bytes of the message it
// was read from (the stream never writes over a frame once read). It is a
// jsonrpc2.Request by embedding jsonrpc2.Notification, which jsonrpc2 only ever uses
// through that interface (a reply to a notification is nothing).
type inPlaceNotification struct {
	jsonrpc2.Notification
	method string
	params json.RawMessage
}

func (n *inPlaceNotification) Method() string { return n.method }

func (n *inPlaceNotification) Params() json.RawMessage { return n.params }

func (n *inPlaceNotification) MarshalJSON() ([]byte, error) {
	note, err := jsonrpc2.NewNotification(n.method, n.params)
	if err != nil {
		return nil, err
	}
	return note.MarshalJSON()
}
