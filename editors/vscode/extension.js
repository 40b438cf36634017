// Minimal VS Code client for `migsafe lsp`: starts the server on stdio for SQL files
// and passes the migsafe.* settings through (initializationOptions and
// workspace/didChangeConfiguration).
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function settings() {
  const c = vscode.workspace.getConfiguration('migsafe');
  const s = { tables: c.get('tables'), migrationGlobs: c.get('migrationGlobs') };
  if (c.get('pgVersion')) s.pgVersion = c.get('pgVersion');
  if (c.get('runner')) s.runner = c.get('runner');
  return { migsafe: s };
}

async function activate(context) {
  const command = vscode.workspace.getConfiguration('migsafe').get('path') || 'migsafe';
  const server = { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient('migsafe', 'migsafe', { run: server, debug: server }, {
    documentSelector: [
      { scheme: 'file', language: 'sql' },
      { scheme: 'file', language: 'pgsql' },
      { scheme: 'file', language: 'postgres' },
      { scheme: 'file', pattern: '**/*.sql' },
    ],
    initializationOptions: settings(),
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/migsafe.toml') },
  });
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('migsafe') && client) {
      client.sendNotification('workspace/didChangeConfiguration', { settings: settings() });
    }
  }));
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
