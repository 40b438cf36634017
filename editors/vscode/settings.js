// What the extension sends to `migsafe lsp`, from the migsafe.* settings. Kept apart
// from extension.js (which needs VS Code) so node tests can check the mapping.
'use strict';
const path = require('path');

// The settings the server reads, by VS Code key; path and trace.server are the
// client's own.
const SERVER_KEYS = ['pgVersion', 'runner', 'tables', 'migrationGlobs', 'debounceMs', 'maxDiagnostics', 'diagnostics'];

// serverSettings maps a configuration getter (key -> value, as
// workspace.getConfiguration('migsafe').get) to the server's settings object: unset
// values are left out, so migsafe.toml and the server's defaults apply.
function serverSettings(get) {
  const s = {};
  const pg = get('pgVersion');
  if (Number.isInteger(pg)) s.pgVersion = pg;
  const runner = get('runner');
  if (typeof runner === 'string' && runner !== '') s.runner = runner;
  const tables = get('tables');
  if (tables && typeof tables === 'object' && !Array.isArray(tables) && Object.keys(tables).length > 0) s.tables = { ...tables };
  const globs = get('migrationGlobs');
  if (Array.isArray(globs) && globs.length > 0) s.migrationGlobs = globs.filter((g) => typeof g === 'string' && g !== '');
  const debounce = get('debounceMs');
  if (Number.isInteger(debounce) && debounce >= 0) s.debounceMs = debounce;
  const max = get('maxDiagnostics');
  if (Number.isInteger(max) && max >= 0) s.maxDiagnostics = max;
  if (get('diagnostics') === 'push') s.diagnostics = 'push';
  return s;
}

// serverCommand is how the client starts the server (and runs `migsafe explain`). A
// relative migsafe.path with a directory in it ("./bin/migsafe") is taken from the
// workspace folder root, where the language client starts the server: "Explain a
// rule" ran it from VS Code's own directory and failed where the server worked.
function serverCommand(get, root) {
  const p = get('path');
  let command = typeof p === 'string' && p.trim() !== '' ? p.trim() : 'migsafe';
  if (root && !path.isAbsolute(command) && /[\\/]/.test(command)) command = path.resolve(root, command);
  return { command, args: ['lsp'] };
}

// configurationMiddleware answers the server's workspace/configuration requests for
// the "migsafe" section with the mapped settings (and lets other sections through),
// so the server sees the same object whether it reads initializationOptions or asks.
function configurationMiddleware(getFor) {
  return async (params, token, next) => {
    const answers = await next(params, token);
    return params.items.map((item, i) => (item.section === 'migsafe' ? serverSettings(getFor(item.scopeUri)) : answers[i]));
  };
}

// needsRestart says whether a configuration change needs a server restart rather
// than a settings refresh: the binary, or how diagnostics reach VS Code (pulled or
// pushed is settled when the server is initialized: a change of migsafe.diagnostics
// did nothing until the window was reloaded).
function needsRestart(affects) {
  return affects('migsafe.path') || affects('migsafe.diagnostics');
}

module.exports = { SERVER_KEYS, serverSettings, serverCommand, configurationMiddleware, needsRestart };
