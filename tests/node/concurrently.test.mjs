// The CONCURRENTLY fix comes from package codeactions; this test fails until it lands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionRequest } from 'vscode-languageserver-protocol/node.js';
import { Session, CREATE_INDEX, docURI, applyEdits, editsFor } from './client.mjs';

test('Concurrently: the preferred fix inserts CONCURRENTLY after INDEX', async (t) => {
  const s = new Session();
  t.after(() => s.kill());
  await s.initialize({ workspace: { workspaceEdit: { documentChanges: true } } });
  const uri = docURI('0001_idx.sql');
  const text = `${CREATE_INDEX}\n`;
  await s.open(uri, text);
  await s.diagnostics(uri, 1);
  const actions = await s.conn.sendRequest(CodeActionRequest.type, {
    textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] },
  });
  const fix = actions.find((a) => {
    const edits = a.edit ? editsFor(a.edit, uri) : [];
    return edits.length === 1 && edits[0].newText === 'CONCURRENTLY '
      && edits[0].range.start.line === 0 && edits[0].range.start.character === 13
      && edits[0].range.end.character === 13;
  });
  assert.ok(fix, `no action inserts "CONCURRENTLY " at 0:13; actions: ${actions.map((a) => a.title)}`);
  assert.equal(fix.isPreferred, true);
  assert.equal(applyEdits(text, editsFor(fix.edit, uri)), 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n');
  assert.equal(await s.close(), 0);
});
