package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/internal/regularfile"
)

func (s *Server) DidOpen(_ context.Context, p *protocol.DidOpenTextDocumentParams) error {
	td := p.TextDocument
	d := newDocument(td.URI, string(td.LanguageID), td.Version, td.Text)
	d.textSeq = s.seq.Add(1)
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

func (s *Server) didChange(ctx context.Context, req jsonrpc2.Request) (any, error) {
	var p didChangeParams
	if err := unmarshal(req.Params(), &p); err != nil {
		return nil, err
	}
	s.mu.Lock()
	d, enc := s.docs[p.TextDocument.URI], s.enc
	s.mu.Unlock()
	if d == nil {
		if d = s.openSaved(p.TextDocument.URI, p.TextDocument.Version); d == nil {
			// Incremental edits to text we never saw cannot be applied safely.
			s.log.Warn("change to a document that is not open; ignored", zap.String("uri", string(p.TextDocument.URI)))
			return nil, nil
		}
	}
	d.mu.Lock()
	if p.TextDocument.Version <= d.version {
		d.mu.Unlock()
		s.log.Warn("stale change ignored", zap.String("uri", string(p.TextDocument.URI)),
			zap.Int32("version", p.TextDocument.Version), zap.Int32("have", d.version))
		return nil, nil
	}
	text, err := applyChanges(d.text, p.ContentChanges, enc)
	if err != nil {
		have := d.version
		d.mu.Unlock()
		s.log.Error("edit rejected; keeping the last good text", zap.String("uri", string(p.TextDocument.URI)),
			zap.Int32("version", p.TextDocument.Version), zap.Int32("kept", have), zap.Error(err))
		s.showMessage(ctx, protocol.MessageTypeError, fmt.Sprintf(
			"migsafe: rejected an edit to %s (version %d): %v. The server keeps version %d's text, so its findings may not match the editor's until the file is closed and reopened.",
			displayName(p.TextDocument.URI), p.TextDocument.Version, err, have))
		return nil, nil
	}
	d.text = text
	d.version = p.TextDocument.Version
	d.received = time.Now()
	d.textSeq = s.seq.Add(1)
	d.mu.Unlock()
	s.schedule(d, s.editDelay())
	return nil, nil
}

// openSaved opens, from the file on disk, a document the client edits without having
// opened it: a buffer saved under a new name (Emacs' write-file with eglot 1.x, :saveas
// in Neovim 0.7) stays open under its old name and is edited under the new one. Its
// text is the file just written, so the edits apply to it; the analysis then follows
// the buffer. nil when no such file can be read.
func (s *Server) openSaved(uri protocol.DocumentURI, version int32) *document {
	path := uriPath(uri)
	if path == "" {
		return nil
	}
	text, ok := regularfile.ReadString(path, maxSavedOpen)
	if !ok {
		return nil
	}
	d := newDocument(uri, "", version-1, text)
	d.textSeq = s.seq.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.docs[uri]; old != nil {
		return old // opened meanwhile
	}
	s.docs[uri] = d
	s.log.Info("change to a document that is not open: opened it from disk (a buffer saved under a new name)", zap.String("uri", string(uri)))
	return d
}

// maxSavedOpen bounds the file openSaved reads.
const maxSavedOpen = 64 << 20

// applyChanges applies content changes in order, all or none. A range that is
// reversed, names a line the text does not have, goes past the end of its line or
// splits a character is an error: it means the client's text is not the server's, and
// clamping it would hide the drift.
func applyChanges(text string, changes []contentChange, enc migration.Encoding) (string, error) {
	for i, c := range changes {
		if c.Range == nil {
			text = c.Text
			continue
		}
		// The lines are found by scanning up to the edit rather than by indexing the
		// whole text: the edit is applied on the connection's goroutine, ahead of the
		// pull that waits for its analysis, and the analysis indexes the lines anyway.
		lines := lineScanner{text: text}
		start, err := lines.checkedOffset(c.Range.Start, enc)
		if err == nil {
			var end int
			if end, err = lines.checkedOffset(c.Range.End, enc); err == nil && end < start {
				err = fmt.Errorf("the range %s is reversed", showRange(*c.Range))
			}
			if err == nil {
				text = text[:start] + c.Text + text[end:]
				continue
			}
		}
		if len(changes) > 1 {
			err = fmt.Errorf("change %d of %d: %w", i+1, len(changes), err)
		}
		return "", err
	}
	return text, nil
}

// lineScanner finds where lines of text start (lines end at \n, as in
// migration.Source), scanning on from the last one it found: a range's end is at or
// after its start, and rarely far.
type lineScanner struct {
	text       string
	line, from int // line starts at byte from
}

// lineStart is where line begins; false when the text has fewer lines.
func (l *lineScanner) lineStart(line int) (int, bool) {
	if line < l.line {
		l.line, l.from = 0, 0
	}
	for l.line < line {
		j := strings.IndexByte(l.text[l.from:], '\n')
		if j < 0 {
			return 0, false
		}
		l.from += j + 1
		l.line++
	}
	return l.from, true
}

// checkedOffset converts an LSP position to a byte offset of the text, refusing
// positions that are not in it.
func (l *lineScanner) checkedOffset(p protocol.Position, enc migration.Encoding) (int, error) {
	line, col := int(p.Line), int(p.Character)
	from, ok := l.lineStart(line)
	if !ok {
		return 0, fmt.Errorf("line %d is past the end (the text has %d lines)", line, strings.Count(l.text, "\n")+1)
	}
	text := l.text[from:]
	if j := strings.IndexByte(text, '\n'); j >= 0 {
		text = strings.TrimSuffix(text[:j], "\r")
	}
	at, err := columnOffset(text, line, col, enc)
	return from + at, err
}

// columnOffset is the byte offset of column col (in enc's units) of text, line line of
// a document, refusing a column past its end or inside a character.
func columnOffset(text string, line, col int, enc migration.Encoding) (int, error) {
	at, n := 0, 0 // byte offset in text, and units before it
	for at < len(text) && n < col {
		r, size := utf8.DecodeRuneInString(text[at:])
		switch {
		case enc == migration.UTF8:
			n += size
		case enc == migration.UTF16 && r >= 0x10000:
			n += 2
		default:
			n++
		}
		at += size
	}
	if n < col {
		return 0, fmt.Errorf("character %d is past the end of line %d (%d long)", col, line, n)
	}
	if n > col {
		return 0, fmt.Errorf("character %d of line %d is inside a character", col, line)
	}
	return at, nil
}

func showRange(r protocol.Range) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Character, r.End.Line, r.End.Character)
}

// displayName is a document's file name for messages, or its URI.
func displayName(u protocol.DocumentURI) string {
	if p := uriPath(u); p != "" {
		return filepath.Base(p)
	}
	return string(u)
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
		s.publish(ctx, d.uri, -1, []byte("[]")) // clear what we showed
		d.publish.Unlock()
	}
	if d.path != "" {
		s.forgetHistories(filepath.Dir(d.path))
		s.reanalyseDir(filepath.Dir(d.path)) // its text on disk replaces the buffer's
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
