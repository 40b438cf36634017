package lsp

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// methodConfiguration is the server-to-client request for settings (LSP 3.6).
const methodConfiguration = "workspace/configuration"

// configurationWait bounds how long the server waits for the client's settings.
const configurationWait = 10 * time.Second

// fetchConfiguration asks a client that supports workspace/configuration for the
// "migsafe" section, as clients that do (VS Code, Neovim, Emacs' eglot) expect servers
// to pull settings rather than wait for them to be pushed. A null answer (the client
// has no such section) keeps the settings the server has; an object replaces them. It
// runs on its own goroutine: the answer arrives on the connection whose handler may be
// the caller.
func (s *Server) fetchConfiguration() {
	ctx, cancel := context.WithTimeout(context.Background(), configurationWait)
	defer cancel()
	params := map[string]any{"items": []map[string]any{{"section": "migsafe"}}}
	var res []json.RawMessage
	if _, err := s.conn.Call(ctx, methodConfiguration, params, &res); err != nil {
		s.log.Warn("workspace/configuration failed", zap.Error(err))
		return
	}
	if len(res) == 0 || len(res[0]) == 0 || string(res[0]) == "null" {
		return
	}
	set, errs := parseSettings(res[0])
	s.reportSettingsErrors(ctx, errs)
	s.log.Info("settings from workspace/configuration", zap.ByteString("settings", res[0]))
	s.applySettings(set)
	s.configChanged(ctx)
}

// reportSettingsErrors shows the errors of client settings with showMessage, unless
// they are the ones shown last: a client sends the same settings as
// initializationOptions and then answers workspace/configuration with them (Neovim,
// VS Code), which showed each error twice.
func (s *Server) reportSettingsErrors(ctx context.Context, errs []string) {
	all := strings.Join(errs, "\n")
	s.mu.Lock()
	seen := all == s.shownSettings
	s.shownSettings = all
	s.mu.Unlock()
	if seen {
		return
	}
	for _, e := range errs {
		s.showMessage(ctx, protocol.MessageTypeError, e)
	}
}

// applySettings makes client settings current, including the debounce they may set:
// settings without debounceMs bring back the server's own (--debounce, or the
// default), which a debounceMs once set and then removed kept.
func (s *Server) applySettings(set settings) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings = set
	s.debounce, s.debouncePulls = s.flagDebounce, s.flagPulls
	if set.DebounceMs != nil && *set.DebounceMs >= 0 {
		s.debounce = time.Duration(*set.DebounceMs) * time.Millisecond
		s.debouncePulls = true
	}
}
