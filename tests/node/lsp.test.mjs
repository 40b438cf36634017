import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DocumentDiagnosticRequest, HoverRequest, CodeActionRequest, DocumentSymbolRequest,
} from 'vscode-languageserver-protocol/node.js';
import { Session, CREATE_INDEX, docURI, applyEdits, editsFor } from './client.mjs';

const INDEX_RULE = 'require-concurrent-index-creation';
const COLUMN_RULE = 'adding-required-column';
const LOCK_TIMEOUT_RULE = 'require-lock-timeout';
const TEXT = `${CREATE_INDEX}\nALTER TABLE users ADD COLUMN phone text NOT NULL;\n`;

test('migsafe lsp through vscode-languageserver-protocol', async (t) => {
  const s = new Session();
  t.after(() => s.kill());
  const init = await s.initialize({
    textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, codeAction: {} },
    workspace: { workspaceEdit: { documentChanges: true } },
  }, { migsafe: { tables: { users: '50M' } } });
  assert.equal(init.serverInfo.name, 'migsafe');
  assert.equal(init.capabilities.positionEncoding, 'utf-16');
  assert.ok(init.capabilities.diagnosticProvider, 'diagnosticProvider advertised');

  const uri = docURI('0001_add_phone.sql');
  await s.open(uri, TEXT);

  await t.test('publishDiagnostics carries the version and the rule codes', async () => {
    const p = await s.diagnostics(uri, 1);
    const byCode = Object.fromEntries(p.diagnostics.map((d) => [d.code, d]));
    assert.deepEqual(Object.keys(byCode).sort(), [COLUMN_RULE, INDEX_RULE, LOCK_TIMEOUT_RULE, 'verdict'].sort());
    assert.equal(byCode[INDEX_RULE].severity, 1);
    assert.equal(byCode[INDEX_RULE].source, 'migsafe');
    assert.deepEqual(byCode[INDEX_RULE].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 12 } });
    assert.match(byCode[INDEX_RULE].message, /SHARE on users/);
    assert.equal(byCode.verdict.message, 'migsafe: BLOCK — 2 BLOCK, 1 FLAG');
  });

  await t.test('pull diagnostics (textDocument/diagnostic)', async () => {
    const r = await s.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    assert.equal(r.kind, 'full');
    assert.deepEqual(r.items.map((d) => d.code).sort(), [COLUMN_RULE, INDEX_RULE, LOCK_TIMEOUT_RULE, 'verdict'].sort());
    const again = await s.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, previousResultId: r.resultId });
    assert.equal(again.kind, 'unchanged');
  });

  await t.test('hover explains the lock, the estimate and the rule', async () => {
    const h = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 4 } });
    assert.equal(h.contents.kind, 'markdown');
    assert.match(h.contents.value, /`SHARE` on table `users`: blocks writes/);
    assert.match(h.contents.value, /estimated index build of `users` at ~50M rows/);
    assert.match(h.contents.value, new RegExp(INDEX_RULE));
  });

  await t.test('document symbols name statements by operation and table', async () => {
    const syms = await s.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    assert.deepEqual(syms.map((x) => x.name), ['CREATE INDEX users_email_idx ON users', 'ALTER TABLE users']);
  });

  await t.test('ignore-for-statement action silences the finding', async () => {
    const actions = await s.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] },
    });
    const ignore = actions.find((a) => a.title === `Ignore ${INDEX_RULE} for this statement`);
    assert.ok(ignore, `actions: ${actions.map((a) => a.title)}`);
    assert.equal(ignore.edit.documentChanges[0].textDocument.version, 1);
    const edited = applyEdits(TEXT, editsFor(ignore.edit, uri));
    assert.equal(edited, `-- migsafe:ignore ${INDEX_RULE} -- <reason>\n${TEXT}`);
    // The placeholder is not a reason: the ignore is reported and silences nothing.
    await s.replace(uri, 2, edited);
    const pending = await s.diagnostics(uri, 2);
    assert.deepEqual(pending.diagnostics.map((d) => d.code).sort(), [COLUMN_RULE, 'invalid-ignore', INDEX_RULE, LOCK_TIMEOUT_RULE, 'verdict'].sort());
    await s.replace(uri, 3, edited.replace('<reason>', 'maintenance window'));
    const p = await s.diagnostics(uri, 3);
    assert.deepEqual(p.diagnostics.map((d) => d.code).sort(), [COLUMN_RULE, LOCK_TIMEOUT_RULE, 'verdict'].sort());
  });

  assert.equal(await s.close(), 0, 'exit code after shutdown');
});
