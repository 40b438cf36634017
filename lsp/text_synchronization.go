package lsp

import (
	"context"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/migsafe/migsafe/engine/migration"
)

func (s *Server) DidOpen(_ context.Context, p *protocol.DidOpenTextDocumentParams) error {
	td := p.TextDocument
	d := newDocument(td.URI, string(td.LanguageID), td.Version, td.Text)
	s.mu.Lock()
	if old := s.docs[td.URI]; old != nil {
		old.stop()
	}
	s.docs[td.URI] = d
	s.mu.Unlock()
	s.schedule(d, 0) // nothing to debounce on open: show the file's state at once
	return nil
}

// contentChange is TextDocumentContentChangeEvent with an optional range: protocol
// v0.12.0's value Range cannot tell a full replacement from an edit at 0:0.
type contentChange struct {
	Range *protocol.Range `json:"range"`
	Text  string          `json:"text"`
}

type didChangeParams struct {
	TextDocument   protocol.VersionedTextDocumentIdentifier `json:"textDocument"`
	ContentChanges []contentChange                          `json:"contentChanges"`
}

func (s *Server) didChange(_ context.Context, req jsonrpc2.Request) (any, error) {
	var p didChangeParams
	if err := unmarshal(req.Params(), &p); err != nil {
		return nil, err
	}
	s.mu.Lock()
	d, enc := s.docs[p.TextDocument.URI], s.enc
	s.mu.Unlock()
	if d == nil {
		// Incremental edits to text we never saw cannot be applied safely.
		s.log.Warn("change to a document that is not open; ignored", zap.String("uri", string(p.TextDocument.URI)))
		return nil, nil
	}
	d.mu.Lock()
	if p.TextDocument.Version <= d.version {
		d.mu.Unlock()
		s.log.Warn("stale change ignored", zap.String("uri", string(p.TextDocument.URI)),
			zap.Int32("version", p.TextDocument.Version), zap.Int32("have", d.version))
		return nil, nil
	}
	d.text = applyChanges(d.text, p.ContentChanges, enc)
	d.version = p.TextDocument.Version
	d.mu.Unlock()
	s.schedule(d, s.currentDebounce())
	return nil, nil
}

// applyChanges applies content changes in order. Ranges are clamped to the text (a
// range past the end means the end, as the specification says for positions) and a
// reversed range is read in order, so no edit can cut a character in half.
func applyChanges(text string, changes []contentChange, enc migration.Encoding) string {
	for _, c := range changes {
		if c.Range == nil {
			text = c.Text
			continue
		}
		src := migration.NewSource(text)
		start := src.Offset(migration.Position{Line: int(c.Range.Start.Line), Column: int(c.Range.Start.Character)}, enc)
		end := src.Offset(migration.Position{Line: int(c.Range.End.Line), Column: int(c.Range.End.Character)}, enc)
		if end < start {
			start, end = end, start
		}
		text = text[:start] + c.Text + text[end:]
	}
	return text
}

func (s *Server) DidClose(ctx context.Context, p *protocol.DidCloseTextDocumentParams) error {
	s.mu.Lock()
	d := s.docs[p.TextDocument.URI]
	delete(s.docs, p.TextDocument.URI)
	pull := s.caps.pull
	s.mu.Unlock()
	if d == nil {
		return nil
	}
	d.stop()
	if !pull {
		d.publish.Lock()
		s.publish(ctx, d.uri, -1, nil) // clear what we showed
		d.publish.Unlock()
	}
	return nil
}

// DidSave reloads the configuration when the saved file is a migsafe.toml, for clients
// that do not watch files.
func (s *Server) DidSave(ctx context.Context, p *protocol.DidSaveTextDocumentParams) error {
	if isConfigFile(p.TextDocument.URI) {
		s.configChanged(ctx)
	} else if path := uriPath(p.TextDocument.URI); path != "" {
		s.codeChanged([]string{path})
	}
	return nil
}
