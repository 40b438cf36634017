// A migsafe lsp session driven through vscode-languageserver-protocol, the library
// VS Code's language client is built on.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  InitializeRequest, InitializedNotification, PublishDiagnosticsNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  ShutdownRequest, ExitNotification,
} from 'vscode-languageserver-protocol/node.js';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// binary returns MIGSAFE_BIN, or builds the command once into a temp dir.
let built;
export function binary() {
  if (process.env.MIGSAFE_BIN) return process.env.MIGSAFE_BIN;
  if (!built) {
    built = path.join(mkdtempSync(path.join(tmpdir(), 'migsafe-node-')), 'migsafe');
    execFileSync('go', ['build', '-o', built, './cmd/migsafe'], { cwd: repo, stdio: 'inherit' });
  }
  return built;
}

export const CREATE_INDEX = 'CREATE INDEX users_email_idx ON users (email);';

export function docURI(name) {
  const dir = mkdtempSync(path.join(tmpdir(), 'migsafe-node-doc-'));
  return pathToFileURL(path.join(dir, name)).href;
}

export class Session {
  constructor(extraArgs = []) {
    this.proc = spawn(binary(), ['lsp', '--debounce', '20ms', ...extraArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.stderr = '';
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.published = [];
    this.waiters = [];
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      this.waiters = this.waiters.filter((w) => !w(p));
    });
    this.conn.onNotification('window/showMessage', () => {});
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.listen();
  }

  async initialize(capabilities, initializationOptions) {
    const res = await this.conn.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, capabilities, initializationOptions,
    });
    await this.conn.sendNotification(InitializedNotification.type, {});
    return res;
  }

  open(uri, text, version = 1, languageId = 'sql') {
    return this.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version, text },
    });
  }

  replace(uri, version, text) {
    return this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version }, contentChanges: [{ text }],
    });
  }

  // diagnostics resolves with the publishDiagnostics of one version.
  diagnostics(uri, version, timeoutMs = 10000) {
    const hit = this.published.find((p) => p.uri === uri && p.version === version);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version}; stderr:\n${this.stderr}`)), timeoutMs);
      this.waiters.push((p) => {
        if (p.uri !== uri || p.version !== version) return false;
        clearTimeout(timer);
        resolve(p);
        return true;
      });
    });
  }

  // kill ends the server if a failed test left it running, so the runner can finish.
  kill() {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill();
    this.conn.dispose();
  }

  async close() {
    await this.conn.sendRequest(ShutdownRequest.type);
    await this.conn.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.conn.dispose();
    return code;
  }
}

// applyEdits applies LSP text edits; JavaScript strings index UTF-16 code units, the
// protocol's default position encoding.
export function applyEdits(text, edits) {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p) => {
    if (p.line >= lineStarts.length) return text.length;
    const end = p.line + 1 < lineStarts.length ? lineStarts[p.line + 1] - 1 : text.length;
    return Math.min(lineStarts[p.line] + p.character, end);
  };
  const spans = edits.map((e) => [offset(e.range.start), offset(e.range.end), e.newText]);
  spans.sort((a, b) => b[0] - a[0]);
  for (const [s, e, t] of spans) text = text.slice(0, s) + t + text.slice(e);
  return text;
}

// editsFor collects the text edits of a WorkspaceEdit for one document.
export function editsFor(edit, uri) {
  if (edit.changes && edit.changes[uri]) return edit.changes[uri];
  return (edit.documentChanges || []).filter((c) => c.textDocument && c.textDocument.uri === uri).flatMap((c) => c.edits);
}
