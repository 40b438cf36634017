package lsp

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
)

// clientCaps are the client capabilities the server acts on.
type clientCaps struct {
	markdownHover     bool
	documentChanges   bool
	createFiles       bool
	deleteFiles       bool
	watchRegistration bool
	hierarchicalSyms  bool
	// pull: the client asks for diagnostics itself (LSP 3.17 textDocument.diagnostic),
	// so pushing them too would show every diagnostic twice.
	pull bool
	// pullRefresh: the client accepts workspace/diagnostic/refresh, the way to make a
	// pull client ask again after a configuration change.
	pullRefresh bool
	// configuration: the client answers workspace/configuration.
	configuration bool
}

// initializeParams is the part of InitializeParams the server reads, including what
// protocol v0.12.0 has no field for (general.positionEncodings, textDocument.diagnostic).
type initializeParams struct {
	RootURI               protocol.DocumentURI `json:"rootUri"`
	RootPath              string               `json:"rootPath"`
	WorkspaceFolders      []protocol.WorkspaceFolder
	InitializationOptions json.RawMessage `json:"initializationOptions"`
	Capabilities          struct {
		General struct {
			PositionEncodings []string `json:"positionEncodings"`
		} `json:"general"`
		Workspace struct {
			WorkspaceEdit struct {
				DocumentChanges    bool     `json:"documentChanges"`
				ResourceOperations []string `json:"resourceOperations"`
			} `json:"workspaceEdit"`
			DidChangeWatchedFiles struct {
				DynamicRegistration bool `json:"dynamicRegistration"`
			} `json:"didChangeWatchedFiles"`
			Diagnostics struct {
				RefreshSupport bool `json:"refreshSupport"`
			} `json:"diagnostics"`
			Configuration bool `json:"configuration"`
		} `json:"workspace"`
		TextDocument struct {
			Hover struct {
				ContentFormat []string `json:"contentFormat"`
			} `json:"hover"`
			DocumentSymbol struct {
				Hierarchical bool `json:"hierarchicalDocumentSymbolSupport"`
			} `json:"documentSymbol"`
			Diagnostic *json.RawMessage `json:"diagnostic"`
		} `json:"textDocument"`
	} `json:"capabilities"`
}

// initializeResult marshals capabilities protocol v0.12.0 cannot express.
type initializeResult struct {
	Capabilities map[string]any      `json:"capabilities"`
	ServerInfo   protocol.ServerInfo `json:"serverInfo"`
}

func (s *Server) initialize(ctx context.Context, req jsonrpc2.Request) (any, error) {
	var p initializeParams
	if err := unmarshal(req.Params(), &p); err != nil {
		return nil, err
	}
	c := p.Capabilities
	enc, encName := migration.UTF16, "utf-16"
	for _, e := range c.General.PositionEncodings {
		if e == "utf-8" {
			enc, encName = migration.UTF8, "utf-8"
			break
		}
	}
	caps := clientCaps{
		documentChanges:   c.Workspace.WorkspaceEdit.DocumentChanges,
		watchRegistration: c.Workspace.DidChangeWatchedFiles.DynamicRegistration,
		hierarchicalSyms:  c.TextDocument.DocumentSymbol.Hierarchical,
		pull:              c.TextDocument.Diagnostic != nil,
		pullRefresh:       c.Workspace.Diagnostics.RefreshSupport,
		configuration:     c.Workspace.Configuration,
	}
	for _, op := range c.Workspace.WorkspaceEdit.ResourceOperations {
		caps.createFiles = caps.createFiles || (op == "create" && caps.documentChanges)
		caps.deleteFiles = caps.deleteFiles || (op == "delete" && caps.documentChanges)
	}
	if f := c.TextDocument.Hover.ContentFormat; len(f) > 0 && f[0] == string(protocol.Markdown) {
		caps.markdownHover = true
	}
	set, errs := parseSettings(p.InitializationOptions)
	root := p.RootPath
	if p.RootURI != "" {
		root = uriPath(p.RootURI)
	} else if len(p.WorkspaceFolders) > 0 {
		root = uriPath(protocol.DocumentURI(p.WorkspaceFolders[0].URI))
	}

	s.applySettings(set)
	s.mu.Lock()
	s.enc, s.caps, s.root, s.state = enc, caps, root, running
	if set.Diagnostics == "push" {
		s.caps.pull = false
	}
	s.mu.Unlock()
	s.reportSettingsErrors(ctx, errs)
	s.log.Info("initialized", zap.String("positionEncoding", encName), zap.String("root", root),
		zap.Bool("pullDiagnostics", caps.pull))

	capsJSON, err := json.Marshal(protocol.ServerCapabilities{
		TextDocumentSync: protocol.TextDocumentSyncOptions{
			OpenClose: true,
			Change:    protocol.TextDocumentSyncKindIncremental,
			Save:      &protocol.SaveOptions{},
		},
		HoverProvider:          true,
		CodeActionProvider:     protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.QuickFix, protocol.RefactorRewrite}},
		DocumentSymbolProvider: true,
		CodeLensProvider:       &protocol.CodeLensOptions{},
		ExecuteCommandProvider: &protocol.ExecuteCommandOptions{Commands: []string{commandRunbook}},
	})
	if err != nil {
		return nil, err
	}
	var capsMap map[string]any
	if err := json.Unmarshal(capsJSON, &capsMap); err != nil {
		return nil, err
	}
	capsMap["positionEncoding"] = encName
	capsMap["diagnosticProvider"] = map[string]any{"identifier": "migsafe", "interFileDependencies": false, "workspaceDiagnostics": false}
	return initializeResult{Capabilities: capsMap, ServerInfo: protocol.ServerInfo{Name: "migsafe", Version: Version}}, nil
}

// Version is reported in serverInfo; the command line sets it.
var Version = "dev"

// Initialized asks for the client's settings when it answers workspace/configuration,
// and registers the migsafe.toml watcher when the client lets servers do so.
func (s *Server) Initialized(ctx context.Context, _ *protocol.InitializedParams) error {
	s.mu.Lock()
	watch, pullConfig := s.caps.watchRegistration, s.caps.configuration
	s.mu.Unlock()
	if pullConfig {
		go s.fetchConfiguration()
	}
	if !watch {
		return nil
	}
	// The client answers this request on the connection this notification came from:
	// waiting for it here would deadlock, so it runs on its own goroutine.
	go func() {
		params := protocol.RegistrationParams{Registrations: []protocol.Registration{{
			ID:     "migsafe-config-watcher",
			Method: protocol.MethodWorkspaceDidChangeWatchedFiles,
			RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: []protocol.FileSystemWatcher{
				{GlobPattern: "**/" + config.FileName},
			}},
		}}}
		if _, err := s.conn.Call(ctx, protocol.MethodClientRegisterCapability, params, nil); err != nil {
			s.log.Warn("registering the migsafe.toml watcher failed", zap.Error(err))
		}
		s.watchCode(ctx)
	}()
	return nil
}

func (s *Server) Shutdown(context.Context) error {
	s.mu.Lock()
	s.state = shuttingDown
	s.mu.Unlock()
	return nil
}

// Exit ends Serve: exit code 0 after shutdown, 1 without it.
func (s *Server) Exit(context.Context) error {
	s.exitOnce.Do(func() {
		s.mu.Lock()
		if s.state == shuttingDown {
			s.exitCode = 0
		}
		s.mu.Unlock()
		s.release.stop()
		close(s.exited)
	})
	return nil
}

// configChanged re-analyses every open document after a settings or migsafe.toml
// change, and asks a pull client to pull again.
func (s *Server) configChanged(ctx context.Context) {
	s.mu.Lock()
	s.shownErrs = map[string]bool{}
	refresh := s.caps.pull && s.caps.pullRefresh
	s.mu.Unlock()
	s.reanalyseAll()
	if refresh {
		// The answer comes on the connection this notification arrived on: waiting
		// here would deadlock.
		go func() {
			if _, err := s.conn.Call(ctx, methodDiagnosticRefresh, nil, nil); err != nil {
				s.log.Warn("workspace/diagnostic/refresh failed", zap.Error(err))
			}
		}()
	}
}

// methodDiagnosticRefresh is LSP 3.17's request to re-pull diagnostics.
const methodDiagnosticRefresh = "workspace/diagnostic/refresh"

// DidChangeConfiguration takes the settings it carries, or, from a client that answers
// workspace/configuration (which then often sends null here), asks for them.
func (s *Server) DidChangeConfiguration(ctx context.Context, p *protocol.DidChangeConfigurationParams) error {
	s.mu.Lock()
	pullConfig := s.caps.configuration
	s.mu.Unlock()
	if pullConfig {
		go s.fetchConfiguration()
		return nil
	}
	raw, err := json.Marshal(p.Settings)
	if err != nil {
		return err
	}
	set, errs := parseSettings(raw)
	s.reportSettingsErrors(ctx, errs)
	s.applySettings(set)
	s.configChanged(ctx)
	return nil
}

func (s *Server) DidChangeWatchedFiles(ctx context.Context, p *protocol.DidChangeWatchedFilesParams) error {
	var code []string
	for _, ch := range p.Changes {
		if isConfigFile(ch.URI) {
			s.log.Info("configuration changed", zap.String("uri", string(ch.URI)))
			s.configChanged(ctx)
			return nil
		}
		if path := uriPath(ch.URI); path != "" {
			code = append(code, path)
		}
	}
	s.migrationsChanged(code)
	s.codeChanged(code)
	return nil
}

func isConfigFile(u protocol.DocumentURI) bool {
	return strings.HasSuffix(string(u), "/"+config.FileName)
}

// Request is protocol.ServerHandler's fallback for methods it does not know
// (handle has LSP 3.17's pull diagnostics): MethodNotFound.
func (s *Server) Request(ctx context.Context, method string, params any) (any, error) {
	if strings.HasPrefix(method, "$/") {
		return nil, nil // optional notifications: ignoring them is allowed
	}
	return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "migsafe: method %q not supported", method)
}

// uriPath returns the file system path of a file: URI, "" for other schemes.
func uriPath(u protocol.DocumentURI) string {
	pu, err := url.Parse(string(u))
	if err != nil || pu.Scheme != "file" {
		return ""
	}
	return pu.Path
}

// pathURI makes a file: URI of a path.
func pathURI(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String()
}
