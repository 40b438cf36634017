// ORM migrations through the VS Code protocol library: diagnostics at the DSL call,
// hovers with the lock and the SQL the ORM sends, and an ignore comment in the host
// language applied to the document, for a Rails, a Django and an Alembic migration of
// testdata/orm (opened in a copy outside git, so Django finds the app's earlier
// migrations and counts them as deployed: inside the repository, on a branch that adds
// them, they are pending and the tables they create new and empty).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HoverRequest, CodeActionRequest } from 'vscode-languageserver-protocol/node.js';
import { Session, repo, applyEdits, editsFor } from './client.mjs';

const copy = mkdtempSync(path.join(tmpdir(), 'migsafe-node-orm-'));
const fixtures = path.join(copy, 'orm');
cpSync(path.join(repo, 'testdata', 'orm'), fixtures, { recursive: true });
after(() => rmSync(copy, { recursive: true, force: true }));

const cases = [
  { file: 'rails/db/migrate/20240101000001_add_columns.rb', lang: 'ruby', code: 'adding-required-column',
    start: { line: 6, character: 40 }, hover: [/`ACCESS EXCLUSIVE` on table `users`/, /ALTER TABLE "users" ADD "phone" character varying NOT NULL/] },
  { file: 'django/shop/migrations/0002_add_fields.py', lang: 'python', code: 'adding-required-column',
    start: { line: 16, character: 18 }, hover: [/`ACCESS EXCLUSIVE` on table `shop_customer`/, /ADD COLUMN "phone" varchar\(20\) NOT NULL/] },
  { file: 'alembic/versions/0005_constraints.py', lang: 'python', code: 'constraint-missing-not-valid',
    start: { line: 14, character: 4 }, hover: [/`ACCESS EXCLUSIVE` on table `users`/, /ADD CONSTRAINT "users_age_check" CHECK \(age >= 0\)/] },
];

for (const c of cases) {
  test(`migsafe lsp on ${c.file}`, async (t) => {
    const s = new Session();
    t.after(() => s.kill());
    await s.initialize({ textDocument: { hover: { contentFormat: ['markdown'] }, codeAction: {} } }, null);
    const file = path.join(fixtures, c.file);
    const uri = pathToFileURL(file).href;
    const text = readFileSync(file, 'utf8');
    await s.open(uri, text, 1, c.lang);

    const p = await s.diagnostics(uri, 1);
    const d = p.diagnostics.find((x) => x.code === c.code);
    assert.ok(d, `no ${c.code}: ${p.diagnostics.map((x) => x.code)}`);
    assert.deepEqual(d.range.start, c.start, 'the diagnostic sits on the DSL call');

    const h = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: c.start });
    for (const re of c.hover) assert.match(h.contents.value, re);

    const actions = await s.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: { start: c.start, end: c.start }, context: { diagnostics: [] },
    });
    const ignore = actions.find((a) => a.title === `Ignore ${c.code} for this statement`);
    assert.ok(ignore, `actions: ${actions.map((a) => a.title)}`);
    const edited = applyEdits(text, editsFor(ignore.edit, uri)).replace('<reason>', 'the table is empty in production');
    assert.match(edited, new RegExp(`# migsafe:ignore ${c.code} -- the table is empty in production`));
    await s.replace(uri, 2, edited);
    const after = await s.diagnostics(uri, 2);
    assert.equal(after.diagnostics.filter((x) => x.code === c.code).length, 0, 'the ignore silences the finding');
    assert.equal(await s.close(), 0);
  });
}

// A DSL fix from the server, applied by the client: the rewritten migration no longer
// has the finding, and reads as the ORM's own DSL.
const fixes = [
  { file: 'rails/db/migrate/20240101000002_add_index.rb', lang: 'ruby', code: 'require-concurrent-index-creation', line: 3,
    want: [/add_index :users, :email, algorithm: :concurrently/, /disable_ddl_transaction!/] },
  { file: 'django/shop/migrations/0005_constraints.py', lang: 'python', code: 'require-concurrent-index-creation', line: 7,
    want: [/AddIndexConcurrently\(/, /atomic = False/, /from django.contrib.postgres.operations import AddIndexConcurrently/] },
  { file: 'alembic/versions/0002_index.py', lang: 'python', code: 'require-concurrent-index-creation', line: 12,
    want: [/with op.get_context\(\).autocommit_block\(\):\n {8}op.create_index\("ix_users_email", "users", \["email"\], postgresql_concurrently=True\)/] },
];

for (const c of fixes) {
  test(`DSL fix for ${c.code} on ${c.file}`, async (t) => {
    const s = new Session();
    t.after(() => s.kill());
    await s.initialize({ textDocument: { codeAction: {} }, workspace: { workspaceEdit: { documentChanges: true } } }, null);
    const file = path.join(fixtures, c.file);
    const uri = pathToFileURL(file).href;
    const text = readFileSync(file, 'utf8');
    await s.open(uri, text, 1, c.lang);
    await s.diagnostics(uri, 1);
    const actions = await s.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: { start: { line: c.line, character: 0 }, end: { line: c.line, character: 0 } }, context: { diagnostics: [] },
    });
    const fix = actions.find((a) => a.isPreferred && a.diagnostics.some((d) => d.code === c.code));
    assert.ok(fix, `no preferred fix for ${c.code}: ${actions.map((a) => a.title)}`);
    const edited = applyEdits(text, editsFor(fix.edit, uri));
    for (const re of c.want) assert.match(edited, re);
    await s.replace(uri, 2, edited);
    const after = await s.diagnostics(uri, 2);
    assert.equal(after.diagnostics.filter((d) => d.code === c.code).length, 0,
      `${c.code} remains after the fix:\n${edited}`);
    assert.equal(await s.close(), 0);
  });
}
