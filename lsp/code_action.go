package lsp

import (
	"context"
	"fmt"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"go.uber.org/zap"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
)

// codeAction, workspaceEdit and the document changes below are LSP's, written out
// because protocol v0.12.0's WorkspaceEdit cannot hold CreateFile operations.
type codeAction struct {
	Title       string                  `json:"title"`
	Kind        protocol.CodeActionKind `json:"kind,omitempty"`
	Diagnostics []protocol.Diagnostic   `json:"diagnostics,omitempty"`
	IsPreferred bool                    `json:"isPreferred,omitempty"`
	Edit        *workspaceEdit          `json:"edit,omitempty"`
}

type workspaceEdit struct {
	Changes         map[protocol.DocumentURI][]protocol.TextEdit `json:"changes,omitempty"`
	DocumentChanges []any                                        `json:"documentChanges,omitempty"`
}

type textDocumentEdit struct {
	TextDocument struct {
		URI     protocol.DocumentURI `json:"uri"`
		Version *int32               `json:"version"` // null for a file created by the same edit
	} `json:"textDocument"`
	Edits []protocol.TextEdit `json:"edits"`
}

type createFile struct {
	Kind    string               `json:"kind"` // "create"
	URI     protocol.DocumentURI `json:"uri"`
	Options struct {
		IgnoreIfExists bool `json:"ignoreIfExists"`
	} `json:"options"`
}

// codeAction offers, for every finding in the range: its fixes from package
// codeactions (the preferred one marked), and ignoring its rule for the statement or
// for the file with a reason to fill in.
func (s *Server) codeAction(ctx context.Context, req jsonrpc2.Request) (any, error) {
	var p protocol.CodeActionParams
	if err := unmarshal(req.Params(), &p); err != nil {
		return nil, err
	}
	sn, _, err := s.snapshot(ctx, p.TextDocument.URI)
	if err != nil || sn == nil {
		return []codeAction{}, err
	}
	s.mu.Lock()
	caps := s.caps
	s.mu.Unlock()
	b := editBuilder{uri: p.TextDocument.URI, version: sn.version, caps: caps, sn: sn}
	if a, ok := s.promoteAction(b, uriPath(p.TextDocument.URI)); ok {
		return filterKinds([]codeAction{a}, p.Context.Only), nil
	}
	if sn.res == nil {
		return []codeAction{}, nil
	}

	start, end := sn.offset(p.Range.Start), sn.offset(p.Range.End)
	actions := []codeAction{}
	ignoredStmt, ignoredFile := map[string]bool{}, map[string]bool{}
	// Findings of one rule on one statement (a SET NOT NULL per column) share their
	// fixes: each is offered once.
	offered := map[string]bool{}
	for _, f := range sn.res.Findings {
		if !inRange(sn.src, f, start, end) {
			continue
		}
		diag := findingDiagnostic(sn, f)
		at := f.Start
		if f.Stmt != nil {
			at = f.Stmt.Start
		}
		for _, fix := range f.Fixes() {
			if key := fmt.Sprint(at, f.Rule.ID, fix.Title); offered[key] {
				continue
			} else {
				offered[key] = true
			}
			plan, err := s.planFix(sn, fix, at)
			if err != nil {
				s.log.Debug("fix not offered", zap.String("fix", fix.Title), zap.Error(err))
				continue
			}
			edit, ok := s.planEdit(b, plan)
			if !ok {
				continue // creates files the client cannot create: half a fix would lose SQL
			}
			kind := protocol.CodeActionKind(fix.Kind)
			if kind == "" {
				kind = protocol.QuickFix
			}
			actions = append(actions, codeAction{Title: fix.Title, Kind: kind, IsPreferred: fix.Preferred,
				Diagnostics: []protocol.Diagnostic{diag}, Edit: edit})
		}
		id := f.Rule.ID
		if f.Stmt != nil && !ignoredStmt[id] {
			ignoredStmt[id] = true
			actions = append(actions, codeAction{Title: fmt.Sprintf("Ignore %s for this statement", id), Kind: protocol.QuickFix,
				Diagnostics: []protocol.Diagnostic{diag}, Edit: b.edits(ignoreStatement(sn.src, ignoreAt(f.Stmt), id, commentMarker(sn.res.File.Path)))})
		}
		if !ignoredFile[id] {
			ignoredFile[id] = true
			actions = append(actions, codeAction{Title: fmt.Sprintf("Ignore %s for this file", id), Kind: protocol.QuickFix,
				Diagnostics: []protocol.Diagnostic{diag}, Edit: b.edits(ignoreFile(sn.src, id, commentMarker(sn.res.File.Path)))})
		}
	}
	return filterKinds(actions, p.Context.Only), nil
}

// inRange reports whether a finding's statement (or, for a file-level finding, its
// span), from the start of its first line, meets [start, end]: a cursor in the
// indentation before a statement is on it.
func inRange(src *migration.Source, f *engine.Finding, start, end int) bool {
	s, e := f.Start, f.End
	if f.Stmt != nil {
		s, e = f.Stmt.Start, f.Stmt.End
	}
	s = src.LineStart(src.Position(s, migration.UTF8).Line)
	return s <= end && start <= e
}

func filterKinds(actions []codeAction, only []protocol.CodeActionKind) []codeAction {
	if len(only) == 0 {
		return actions
	}
	out := []codeAction{}
	for _, a := range actions {
		for _, k := range only {
			if a.Kind == k || strings.HasPrefix(string(a.Kind), string(k)+".") {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

// ignoreReason is what the user replaces: the engine refuses an ignore without one.
const ignoreReason = "<reason>"

// ignoreStatement inserts `-- migsafe:ignore RULE -- <reason>` on a line of its own
// before the statement, indented like it; marker is the file's comment marker.
func ignoreStatement(src *migration.Source, st *migration.Statement, id, marker string) codeactions.Edit {
	line := src.Position(st.Start, migration.UTF8).Line
	at := src.LineStart(line)
	indent := src.Text[at:st.Start]
	if strings.TrimSpace(indent) != "" {
		// Something precedes the statement on its line: break the line before it.
		ws := leadingSpace(indent)
		return codeactions.Edit{Start: st.Start, End: st.Start,
			NewText: fmt.Sprintf("\n%s%s migsafe:ignore %s -- %s\n%s", ws, marker, id, ignoreReason, ws)}
	}
	return codeactions.Edit{Start: at, End: at, NewText: fmt.Sprintf("%s%s migsafe:ignore %s -- %s\n", indent, marker, id, ignoreReason)}
}

// ignoreFile inserts `-- migsafe:ignore-file RULE -- <reason>` at the top of the file,
// after the runner's directive header (goose, dbmate and sqitch read those first).
func ignoreFile(src *migration.Source, id, marker string) codeactions.Edit {
	line := 0
	for ; line < src.LineCount(); line++ {
		if !isHeaderDirective(src.Line(line)) {
			break
		}
	}
	at := src.LineStart(line)
	text := fmt.Sprintf("%s migsafe:ignore-file %s -- %s\n", marker, id, ignoreReason)
	if line > 0 && at == len(src.Text) && !strings.HasSuffix(src.Text, "\n") {
		text = "\n" + text
	}
	return codeactions.Edit{Start: at, End: at, NewText: text}
}

func isHeaderDirective(line string) bool {
	l := strings.TrimSpace(strings.TrimPrefix(line, "\uFEFF"))
	if !strings.HasPrefix(l, "--") {
		return false
	}
	l = strings.TrimSpace(strings.TrimPrefix(l, "--"))
	for _, p := range []string{"+goose", "+migrate", "migrate:", "Deploy ", "Revert ", "Verify ", "requires:", "!"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

func leadingSpace(s string) string {
	return s[:len(s)-len(strings.TrimLeft(s, " \t"))]
}

// editBuilder turns engine edits into a WorkspaceEdit the client accepts.
type editBuilder struct {
	uri     protocol.DocumentURI
	version int32
	caps    clientCaps
	sn      *snapshot
}

func (b editBuilder) textEdits(edits []codeactions.Edit) []protocol.TextEdit {
	// The document's line ends: an ignore comment in a CRLF document ended in \n.
	edits = codeactions.FitEdits(b.sn.src.Text, edits)
	out := make([]protocol.TextEdit, len(edits))
	for i, e := range edits {
		out[i] = protocol.TextEdit{Range: b.sn.rng(e.Start, e.End), NewText: e.NewText}
	}
	return out
}

func (b editBuilder) edits(edits ...codeactions.Edit) *workspaceEdit {
	if !b.caps.documentChanges {
		return &workspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{b.uri: b.textEdits(edits)}}
	}
	var tde textDocumentEdit
	tde.TextDocument.URI = b.uri
	v := b.version
	tde.TextDocument.Version = &v
	tde.Edits = b.textEdits(edits)
	return &workspaceEdit{DocumentChanges: []any{tde}}
}
