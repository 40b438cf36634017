package lsp

import (
	"go.lsp.dev/protocol"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

// promoteAction offers, on a pending contract phase, what `migsafe fix --promote`
// does: make it the next migration and remove it from .migsafe/pending.
func (s *Server) promoteAction(b editBuilder, path string) (codeAction, bool) {
	text := b.sn.src.Text
	if path == "" || !codeactions.IsPending(text) {
		return codeAction{}, false
	}
	s.mu.Lock()
	set := s.settings
	s.mu.Unlock()
	cfg := func(p string) (*config.Config, error) { return configFor(p, set) }
	plan, err := engine.Promote(path, text, cfg, serverFS{s}, nil)
	if err != nil {
		return codeAction{}, false
	}
	edit, ok := s.planEdit(b, plan)
	if !ok {
		return codeAction{}, false
	}
	pd, _ := codeactions.ParsePending(path, text)
	return codeAction{Title: "Promote this contract phase to the next migration (once " + pd.Phase.Wait + ")",
		Kind: protocol.RefactorRewrite, Edit: edit}, true
}
