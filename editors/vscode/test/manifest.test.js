// package.json against what the extension does and what vsce and VS Code need.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { SERVER_KEYS } = require('../settings');

const root = path.join(__dirname, '..');
const pkg = require('../package.json');
const source = fs.readFileSync(path.join(root, 'extension.js'), 'utf8');

test('every setting is the server\'s or the client\'s own, and the server\'s are all there', () => {
  const keys = Object.keys(pkg.contributes.configuration.properties).map((k) => k.replace(/^migsafe\./, ''));
  const client = ['path', 'trace.server'];
  for (const k of keys) assert.ok(SERVER_KEYS.includes(k) || client.includes(k), `setting migsafe.${k} is not mapped`);
  for (const k of [...SERVER_KEYS, ...client]) assert.ok(keys.includes(k), `migsafe.${k} is not a contributed setting`);
  // vscode-languageclient logs the protocol for `<client id>.trace.server`.
  assert.match(source, /new LanguageClient\('migsafe'/);
});

test('every contributed command is registered, and every registered one contributed', () => {
  const contributed = pkg.contributes.commands.map((c) => c.command).sort();
  const registered = [...source.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]).sort();
  assert.deepStrictEqual(registered, contributed);
  for (const c of pkg.contributes.commands) assert.strictEqual(c.category, 'migsafe');
  assert.deepStrictEqual(contributed, ['migsafe.explainRule', 'migsafe.fixAll', 'migsafe.restartServer', 'migsafe.showOutput']);
});

test('what vsce packages is there', () => {
  assert.ok(fs.existsSync(path.join(root, pkg.main)), `main ${pkg.main}`);
  for (const f of ['LICENSE', 'README.md', '.vscodeignore', 'package-lock.json']) assert.ok(fs.existsSync(path.join(root, f)), f);
  assert.ok(pkg.repository && pkg.repository.url, 'repository');
  assert.strictEqual(pkg.license, 'MIT');
  assert.ok(pkg.devDependencies['@vscode/vsce'], '@vscode/vsce is a dev dependency');
  assert.match(pkg.scripts.package, /^vsce package/);
  const lock = require('../package-lock.json');
  assert.strictEqual(lock.packages[''].devDependencies['@vscode/vsce'], pkg.devDependencies['@vscode/vsce'], 'lockfile matches package.json');
  const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
  assert.match(ignore, /^test\/\*\*$/m);
});

test('the VS Code engine is one the language client supports', () => {
  const lc = require('vscode-languageclient/package.json');
  const need = lc.engines.vscode.replace(/^\^/, '').split('.').map(Number);
  const have = pkg.engines.vscode.replace(/^\^/, '').split('.').map(Number);
  assert.ok(have[0] > need[0] || (have[0] === need[0] && have[1] >= need[1]), `engines.vscode ${pkg.engines.vscode} < the client's ${lc.engines.vscode}`);
});

test('SQL documents activate the extension', () => {
  assert.ok(pkg.activationEvents.includes('onLanguage:sql'));
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/migsafe.toml'));
});
