package lsp

import (
	"context"
	"encoding/json"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/migsafe/migsafe/engine/runbook"
)

// commandRunbook returns the runbook of a migration as markdown; its argument is the
// document's URI. The code lens above line 1 runs it.
const commandRunbook = "migsafe.runbook"

// ExecuteCommand runs migsafe.runbook.
func (s *Server) ExecuteCommand(ctx context.Context, p *protocol.ExecuteCommandParams) (interface{}, error) {
	if p.Command != commandRunbook {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "migsafe: unknown command %q (known: %s)", p.Command, commandRunbook)
	}
	var uri protocol.DocumentURI
	if len(p.Arguments) == 1 {
		raw, _ := json.Marshal(p.Arguments[0])
		_ = json.Unmarshal(raw, &uri)
	}
	if uri == "" {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "migsafe: %s takes one argument, the document's URI", commandRunbook)
	}
	sn, _, err := s.snapshot(ctx, uri)
	if err != nil {
		return nil, err
	}
	if sn == nil || sn.res == nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "migsafe: %s is not an open migration", uri)
	}
	return runbook.Build(sn.res, runbook.Options{Code: s.workspace(), FS: serverFS{s}}).Markdown(1), nil
}

// runbookLens is the code lens that opens the runbook.
func runbookLens(sn *snapshot, uri protocol.DocumentURI) protocol.CodeLens {
	return protocol.CodeLens{Range: sn.rng(0, 0), Command: &protocol.Command{Title: "migsafe: runbook", Command: commandRunbook, Arguments: []interface{}{uri}}}
}
