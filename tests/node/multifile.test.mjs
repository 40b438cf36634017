// A fix that splits a migration changes several files at once: the migration, its down,
// new migrations. The server sends it as documentChanges with CreateFile (and, to
// promote a pending contract phase, DeleteFile); this client applies the WorkspaceEdit
// to the disk the way VS Code does, and the result is checked with the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CodeActionRequest } from 'vscode-languageserver-protocol/node.js';
import { Session, applyEdits, binary } from './client.mjs';

const caps = { workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'delete'] } } };

// applyWorkspaceEdit writes a WorkspaceEdit to disk, in order, as an editor would.
function applyWorkspaceEdit(edit) {
  for (const [uri, edits] of Object.entries(edit.changes || {})) {
    const p = fileURLToPath(uri);
    writeFileSync(p, applyEdits(readFileSync(p, 'utf8'), edits));
  }
  for (const c of edit.documentChanges || []) {
    if (c.kind === 'create') {
      const p = fileURLToPath(c.uri);
      assert.ok(!existsSync(p) || c.options?.ignoreIfExists, `CreateFile of ${p}, which exists`);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, '');
    } else if (c.kind === 'delete') {
      rmSync(fileURLToPath(c.uri));
    } else if (c.kind === undefined) {
      const p = fileURLToPath(c.textDocument.uri);
      writeFileSync(p, applyEdits(readFileSync(p, 'utf8'), c.edits));
    } else {
      assert.fail(`unknown resource operation ${c.kind}`);
    }
  }
}

function check(dir, ...files) {
  try {
    execFileSync(binary(), ['check', ...files], { cwd: dir, encoding: 'utf8' });
    return 0;
  } catch (e) {
    return e.status;
  }
}

async function actionsAt(s, uri, line) {
  return s.conn.sendRequest(CodeActionRequest.type, {
    textDocument: { uri }, range: { start: { line, character: 0 }, end: { line, character: 0 } }, context: { diagnostics: [] },
  });
}

test('a multi-file fix applied by the client: phases created, the down rewritten', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'migsafe-node-project-'));
  const m = path.join(dir, 'db', 'migrations');
  mkdirSync(m, { recursive: true });
  writeFileSync(path.join(m, '000001_users.up.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n');
  writeFileSync(path.join(m, '000001_users.down.sql'), 'DROP TABLE users;\n');
  const up = path.join(m, '000002_email.up.sql');
  const text = 'ALTER TABLE users ADD COLUMN note text;\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n';
  writeFileSync(up, text);
  writeFileSync(path.join(m, '000002_email.down.sql'), 'ALTER TABLE users DROP CONSTRAINT users_email_key;\nALTER TABLE users DROP COLUMN note;\n');

  const s = new Session();
  t.after(() => s.kill());
  await s.initialize(caps);
  const uri = pathToFileURL(up).href;
  await s.open(uri, text);
  await s.diagnostics(uri, 1);
  const actions = await actionsAt(s, uri, 1);
  const split = actions.find((a) => a.isPreferred && a.diagnostics?.[0]?.code === 'adding-unique-constraint');
  assert.ok(split, `no preferred fix for adding-unique-constraint; actions: ${actions.map((a) => a.title)}`);
  const kinds = split.edit.documentChanges.map((c) => c.kind || 'edit');
  assert.ok(kinds.includes('create') && kinds.includes('edit'), `documentChanges ${kinds}`);
  applyWorkspaceEdit(split.edit);

  for (const f of ['000003_email_unique_index.up.sql', '000003_email_unique_index.down.sql', '000004_email_unique.up.sql', '000004_email_unique.down.sql']) {
    assert.ok(existsSync(path.join(m, f)), `${f} was not created`);
  }
  assert.match(readFileSync(path.join(m, '000003_email_unique_index.up.sql'), 'utf8'), /CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users \(email\);/);
  assert.doesNotMatch(readFileSync(up, 'utf8'), /UNIQUE/);
  assert.match(readFileSync(path.join(m, '000002_email.down.sql'), 'utf8'), /DROP CONSTRAINT IF EXISTS users_email_key/);
  // The new migrations check clean: no BLOCK.
  assert.equal(check(dir, 'db/migrations/000003_email_unique_index.up.sql', 'db/migrations/000004_email_unique.up.sql'), 0);
  assert.equal(await s.close(), 0);
});

test('a pending contract phase is promoted by a code action: created, then deleted', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'migsafe-node-pending-'));
  const m = path.join(dir, 'db', 'migrations');
  mkdirSync(m, { recursive: true });
  writeFileSync(path.join(m, '000001_users.up.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY, legacy text);\n');
  writeFileSync(path.join(m, '000002_drop.up.sql'), 'ALTER TABLE users DROP COLUMN legacy;\n');
  writeFileSync(path.join(m, '000002_drop.down.sql'), 'ALTER TABLE users ADD COLUMN legacy text;\n');
  execFileSync(binary(), ['fix', '--write', '--split', 'db/migrations/000002_drop.up.sql'], { cwd: dir });
  const pending = path.join(m, '.migsafe', 'pending', '000002_drop_contract.sql');
  assert.ok(existsSync(pending), 'the fix did not write the pending phase');

  const s = new Session();
  t.after(() => s.kill());
  await s.initialize(caps);
  const uri = pathToFileURL(pending).href;
  await s.open(uri, readFileSync(pending, 'utf8'));
  const actions = await actionsAt(s, uri, 0);
  const promote = actions.find((a) => a.title.startsWith('Promote this contract phase'));
  assert.ok(promote, `no promote action; actions: ${actions.map((a) => a.title)}`);
  applyWorkspaceEdit(promote.edit);
  assert.ok(!existsSync(pending), 'the pending file is still there');
  assert.match(readFileSync(path.join(m, '000003_drop_contract.up.sql'), 'utf8'), /DROP COLUMN legacy/);
  assert.equal(check(dir, 'db/migrations'), 0);
  assert.equal(await s.close(), 0);
});
