package lsp

import (
	"path/filepath"

	"go.lsp.dev/protocol"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/migration"
)

// deleteFile is LSP's DeleteFile resource operation (a promoted pending phase).
type deleteFile struct {
	Kind string               `json:"kind"` // "delete"
	URI  protocol.DocumentURI `json:"uri"`
}

// openVersion is the version of the open document at path.
func (s *Server) openVersion(path string) (int32, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.docs {
		if d.path == path {
			d.mu.Lock()
			v := d.version
			d.mu.Unlock()
			return v, true
		}
	}
	return 0, false
}

// planFix lays out one fix of the snapshot's document as codeactions' planner would
// write it for `migsafe fix`: its phases named after the migrations on disk, its down
// edits, its new files.
func (s *Server) planFix(sn *snapshot, fix codeactions.Fix, at int) (*codeactions.Plan, error) {
	p, err := codeactions.NewPlanner(sn.res.File, sn.res.Config, serverFS{s}, nil)
	if err != nil {
		return nil, err
	}
	if err := p.Apply(fix, at); err != nil {
		return nil, err
	}
	return p.Plan()
}

// planEdit turns a plan into a WorkspaceEdit: a text edit per changed file (the
// document's own at its version, other open documents at theirs, files not open
// without one), a CreateFile and its text per new file, a DeleteFile per removal. ok is
// false when the client cannot take it: half a plan would lose SQL.
func (s *Server) planEdit(b editBuilder, plan *codeactions.Plan) (*workspaceEdit, bool) {
	creates := len(plan.Removes) > 0
	for _, c := range plan.Changes {
		creates = creates || c.Create
	}
	if creates && !b.caps.createFiles || len(plan.Removes) > 0 && !b.caps.deleteFiles {
		return nil, false
	}
	we := &workspaceEdit{}
	if !b.caps.documentChanges {
		we.Changes = map[protocol.DocumentURI][]protocol.TextEdit{}
	}
	for _, c := range plan.Changes {
		uri := protocol.DocumentURI(pathURI(c.Path))
		if c.Create {
			cf := createFile{Kind: "create", URI: uri}
			var tde textDocumentEdit
			tde.TextDocument.URI = uri
			tde.Edits = []protocol.TextEdit{{NewText: c.New}}
			we.DocumentChanges = append(we.DocumentChanges, cf, tde)
			continue
		}
		edit := minimalEdit(c.Old, c.New, b.sn.enc)
		if b.sn.res != nil && filepath.Clean(c.Path) == filepath.Clean(b.sn.res.File.Path) {
			uri = b.uri
		}
		if !b.caps.documentChanges {
			we.Changes[uri] = append(we.Changes[uri], edit)
			continue
		}
		var tde textDocumentEdit
		tde.TextDocument.URI = uri
		if uri == b.uri {
			v := b.version
			tde.TextDocument.Version = &v
		} else if v, ok := s.openVersion(c.Path); ok {
			tde.TextDocument.Version = &v
		}
		tde.Edits = []protocol.TextEdit{edit}
		we.DocumentChanges = append(we.DocumentChanges, tde)
	}
	for _, r := range plan.Removes {
		we.DocumentChanges = append(we.DocumentChanges, deleteFile{Kind: "delete", URI: protocol.DocumentURI(pathURI(r))})
	}
	return we, true
}

// minimalEdit is codeactions.Changed as an LSP text edit.
func minimalEdit(old, new string, enc migration.Encoding) protocol.TextEdit {
	e := codeactions.Changed(old, new)
	src := migration.NewSource(old)
	pos := func(off int) protocol.Position {
		p := src.Position(off, enc)
		return protocol.Position{Line: uint32(p.Line), Character: uint32(p.Column)}
	}
	return protocol.TextEdit{Range: protocol.Range{Start: pos(e.Start), End: pos(e.End)}, NewText: e.NewText}
}
