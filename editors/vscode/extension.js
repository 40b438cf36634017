// The VS Code client of `migsafe lsp`: starts the server on stdio for SQL files, gives
// it the migsafe.* settings (initializationOptions, and answers to
// workspace/configuration), and adds the commands of the palette's "migsafe:" group.
'use strict';
const vscode = require('vscode');
const { execFile } = require('child_process');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
const { serverSettings, serverCommand, configurationMiddleware, needsRestart } = require('./settings');
const { fixAll } = require('./fixall');
const { lifecycle } = require('./restart');

let server; // lifecycle(makeClient): server.client is the current client

const config = (scope) => {
  const c = vscode.workspace.getConfiguration('migsafe', scope ? vscode.Uri.parse(scope) : undefined);
  return (key) => c.get(key);
};

// root is the first workspace folder's path, where the client starts the server.
const root = () => {
  const f = vscode.workspace.workspaceFolders;
  return f && f.length > 0 && f[0].uri.scheme === 'file' ? f[0].uri.fsPath : undefined;
};

function makeClient() {
  const { command, args } = serverCommand(config(), root());
  const server = { command, args, transport: TransportKind.stdio };
  return new LanguageClient('migsafe', 'migsafe', { run: server, debug: server }, {
    documentSelector: [
      { scheme: 'file', language: 'sql' },
      { scheme: 'file', language: 'pgsql' },
      { scheme: 'file', language: 'postgres' },
      { scheme: 'file', pattern: '**/*.sql' },
    ],
    initializationOptions: { migsafe: serverSettings(config()) },
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/migsafe.toml') },
    middleware: { workspace: { configuration: configurationMiddleware(config) } },
  });
}

async function explainRule() {
  const editor = vscode.window.activeTextEditor;
  let rule;
  if (editor) {
    const here = vscode.languages.getDiagnostics(editor.document.uri)
      .find((d) => d.source === 'migsafe' && d.range.contains(editor.selection.active));
    rule = here && (typeof here.code === 'object' ? here.code.value : here.code);
  }
  if (!rule || rule === 'verdict') {
    rule = await vscode.window.showInputBox({ prompt: 'migsafe rule ID (migsafe rules lists them)', value: rule && rule !== 'verdict' ? rule : '' });
  }
  if (!rule) return;
  const { command } = serverCommand(config(), root());
  execFile(command, ['explain', String(rule)], async (err, stdout, stderr) => {
    if (err) {
      vscode.window.showErrorMessage(`migsafe explain ${rule}: ${stderr || err.message}`);
      return;
    }
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: stdout });
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
  });
}

async function fixAllInFile() {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const doc = editor.document;
  const applied = await fixAll(
    async () => {
      const whole = new vscode.Range(0, 0, doc.lineCount, 0);
      return (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, whole, vscode.CodeActionKind.QuickFix.value)) || [];
    },
    (action) => vscode.workspace.applyEdit(action.edit),
  );
  vscode.window.showInformationMessage(applied.length ? `migsafe: applied ${applied.length} fix(es)` : 'migsafe: no fix to apply');
}

async function activate(context) {
  server = lifecycle(makeClient, (err) => console.warn(`migsafe: stopping the old server: ${err.message}`));
  context.subscriptions.push(
    vscode.commands.registerCommand('migsafe.restartServer', () => server.restart()),
    vscode.commands.registerCommand('migsafe.showOutput', () => server.client && server.client.outputChannel.show(true)),
    vscode.commands.registerCommand('migsafe.explainRule', explainRule),
    vscode.commands.registerCommand('migsafe.fixAll', fixAllInFile),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      const client = server.client;
      if (!e.affectsConfiguration('migsafe')) return;
      if (needsRestart((k) => e.affectsConfiguration(k))) {
        await server.restart();
        return;
      }
      // The server asks for the settings again (workspace/configuration).
      if (client && client.isRunning()) client.sendNotification('workspace/didChangeConfiguration', { settings: null });
    }),
  );
  await server.start();
}

function deactivate() {
  return server ? server.stop() : undefined;
}

module.exports = { activate, deactivate };
