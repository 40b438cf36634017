// The migsafe.* settings as the server receives them, checked against the mapping and
// (with MIGSAFE_BIN) against the real server, which must take every key without error.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { serverSettings, serverCommand, configurationMiddleware, needsRestart } = require('../settings');

const getter = (values) => (key) => values[key];

// VS Code's defaults from package.json.
const defaults = Object.fromEntries(Object.entries(require('../package.json').contributes.configuration.properties)
  .map(([k, v]) => [k.replace(/^migsafe\./, ''), v.default]));

test('defaults send nothing: migsafe.toml and the server decide', () => {
  assert.deepStrictEqual(serverSettings(getter(defaults)), {});
  assert.deepStrictEqual(serverCommand(getter(defaults)), { command: 'migsafe', args: ['lsp'] });
});

test('every server setting is mapped with its type', () => {
  const got = serverSettings(getter({
    ...defaults, pgVersion: 12, runner: 'goose', tables: { users: '50M', flags: 40 },
    migrationGlobs: ['db/migrations/**/*.sql', ''], debounceMs: 0, maxDiagnostics: 0, diagnostics: 'push',
  }));
  assert.deepStrictEqual(got, {
    pgVersion: 12, runner: 'goose', tables: { users: '50M', flags: 40 },
    migrationGlobs: ['db/migrations/**/*.sql'], debounceMs: 0, maxDiagnostics: 0, diagnostics: 'push',
  });
});

test('values of the wrong type are left out rather than sent', () => {
  const got = serverSettings(getter({ pgVersion: '12', runner: '', tables: ['users'], migrationGlobs: 'x', debounceMs: -5, maxDiagnostics: -1, diagnostics: 'auto' }));
  assert.deepStrictEqual(got, {});
});

test('the path is the command; trace and path changes are the client\'s', () => {
  assert.deepStrictEqual(serverCommand(getter({ path: ' /opt/migsafe/bin/migsafe ' })), { command: '/opt/migsafe/bin/migsafe', args: ['lsp'] });
  // A relative path is the workspace folder's, where the client starts the server
  // (and so where "Explain a rule" must run it from too); a bare name is PATH's.
  assert.strictEqual(serverCommand(getter({ path: './bin/migsafe' }), '/work/proj').command, '/work/proj/bin/migsafe');
  assert.strictEqual(serverCommand(getter({ path: 'migsafe' }), '/work/proj').command, 'migsafe');
  assert.strictEqual(serverCommand(getter({ path: './bin/migsafe' })).command, './bin/migsafe');
  assert.strictEqual(needsRestart((k) => k === 'migsafe.path'), true);
  assert.strictEqual(needsRestart((k) => k === 'migsafe.tables'), false);
  // Pulled or pushed is settled at initialize: switching needs a new server.
  assert.strictEqual(needsRestart((k) => k === 'migsafe.diagnostics'), true);
});

test('workspace/configuration answers the migsafe section with the mapping', async () => {
  const mw = configurationMiddleware((scope) => getter(scope === 'file:///b' ? { pgVersion: 11 } : { pgVersion: 14 }));
  const next = async (params) => params.items.map(() => ({ raw: true }));
  const got = await mw({ items: [{ section: 'migsafe' }, { section: 'other' }, { section: 'migsafe', scopeUri: 'file:///b' }] }, null, next);
  assert.deepStrictEqual(got, [{ pgVersion: 14 }, { raw: true }, { pgVersion: 11 }]);
});

// The real server: what the extension sends as initializationOptions and answers to
// workspace/configuration is read, and used (the hover estimates at the table size).
test('the server takes the mapped settings', { skip: !process.env.MIGSAFE_BIN && 'MIGSAFE_BIN not set' }, async () => {
  const rpc = require('vscode-languageserver-protocol/node');
  const settings = serverSettings(getter({ ...defaults, pgVersion: 12, tables: { users: '50M' }, debounceMs: 10, maxDiagnostics: 500, diagnostics: 'push', migrationGlobs: ['**/*.sql'] }));
  const proc = spawn(process.env.MIGSAFE_BIN, ['lsp'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  const errors = [];
  let asked = 0;
  conn.onNotification('window/showMessage', (m) => { if (m.type === 1) errors.push(m.message); });
  conn.onRequest('workspace/configuration', (params) => {
    asked++;
    return configurationMiddleware(() => getter({ ...defaults, pgVersion: 12, tables: { users: '50M' } }))(params, null, async (p) => p.items.map(() => null));
  });
  conn.onRequest(() => null);
  const published = new Promise((resolve) => conn.onNotification('textDocument/publishDiagnostics', resolve));
  conn.listen();
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, initializationOptions: { migsafe: settings }, capabilities: { workspace: { configuration: true } } });
    await conn.sendNotification('initialized', {});
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migsafe-vscode-'));
    const uri = pathToFileURL(path.join(dir, '0001_idx.sql')).href;
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: 'CREATE INDEX users_email_idx ON users (email);\n' } });
    const diags = await published;
    assert.ok(diags.diagnostics.some((d) => d.code === 'require-concurrent-index-creation'), JSON.stringify(diags));
    const hover = await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
    assert.match(hover.contents.value, /at ~50M rows/);
    assert.ok(asked >= 1, 'the server did not ask for workspace/configuration');
    assert.deepStrictEqual(errors, []);
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
  } finally {
    conn.dispose();
    proc.kill();
  }
});
