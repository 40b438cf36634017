package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/coderefs"
)

// codeGlobs are the files whose changes the code-reference index follows.
var codeGlobs = []string{"**/*.{go,py,rb,rake,js,jsx,mjs,cjs,ts,tsx,mts,cts,sql,prisma}"}

// workspace is the code-reference index of the workspace root, opened at initialize
// and built in the background; nil without a root (no workspace: findings keep their
// own judgement). The index is kept for the session and follows file changes.
func (s *Server) workspace() *coderefs.Workspace {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.code == nil && s.root != "" {
		s.code = coderefs.Open(coderefs.Root(s.root), coderefs.Options{})
		ws, ready, warm := s.code, make(chan struct{}), s.warm
		s.codeReady = ready
		if warm == nil {
			warm = (*coderefs.Workspace).Warm
		}
		go func() {
			err := warm(ws)
			close(ready)
			if err != nil {
				s.log.Warn("indexing the workspace's code failed", zap.Error(err))
			}
			s.mu.Lock()
			missed := s.codeMissed
			s.codeMissed = false
			s.mu.Unlock()
			if missed {
				// What the code uses is known now: judge the documents again.
				s.reanalyseAll()
				s.refreshPulls()
			}
		}()
	}
	return s.code
}

// codeIndexWait is how long an analysis waits for the workspace's code index.
const codeIndexWait = time.Second

// codeFor is the workspace an analysis searches for code uses: nil while its index is
// still being built after codeIndexWait. A query waits for the whole index, which in
// a large tree (a monorepo, a root of /tmp) took minutes, and the editor showed no
// diagnostic at all meanwhile (a pull's answer came back empty); the documents are
// analysed again when the index is ready.
func (s *Server) codeFor() *coderefs.Workspace {
	ws := s.workspace()
	if ws == nil {
		return nil
	}
	s.mu.Lock()
	ready := s.codeReady
	s.mu.Unlock()
	select {
	case <-ready:
		return ws
	default:
	}
	t := time.NewTimer(codeIndexWait)
	defer t.Stop()
	select {
	case <-ready:
		return ws
	case <-t.C:
	}
	s.mu.Lock()
	s.codeMissed = true
	s.mu.Unlock()
	select {
	case <-ready: // built meanwhile: its goroutine may not have seen codeMissed
		return ws
	default:
		return nil
	}
}

// codeChanged tells the index about changed files and re-analyses the open documents
// when the changes may change what the code uses.
func (s *Server) codeChanged(paths []string) {
	ws := s.workspace()
	if ws == nil || len(paths) == 0 {
		return
	}
	for _, p := range paths {
		ws.Changed(p)
	}
	s.reanalyseAll()
}

// relatedUses turns a finding's code uses into LSP related information, so an
// editor lists (and jumps to) every place that still uses what the migration changes.
func relatedUses(f *engine.Finding, root string) []protocol.DiagnosticRelatedInformation {
	var out []protocol.DiagnosticRelatedInformation
	for _, u := range f.Uses {
		line := uint32(u.Line - 1)
		p := u.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, filepath.FromSlash(p))
		}
		out = append(out, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: protocol.DocumentURI(pathURI(p)),
				Range: protocol.Range{Start: protocol.Position{Line: line}, End: protocol.Position{Line: line + 1}}},
			Message: fmt.Sprintf("used here (%s: %s)", u.Kind, u.Detail),
		})
	}
	return out
}

// watchCode registers the code watchers with a client that lets servers do so.
func (s *Server) watchCode(ctx context.Context) {
	var ws []protocol.FileSystemWatcher
	for _, g := range codeGlobs {
		ws = append(ws, protocol.FileSystemWatcher{GlobPattern: g})
	}
	params := protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID: "migsafe-code-watcher", Method: protocol.MethodWorkspaceDidChangeWatchedFiles,
		RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: ws},
	}}}
	if _, err := s.conn.Call(ctx, protocol.MethodClientRegisterCapability, params, nil); err != nil {
		s.log.Warn("registering the code watcher failed", zap.Error(err))
	}
}
