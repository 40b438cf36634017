// The language client's lifetime: its first start, the "Restart the language server"
// command and the restart a change of migsafe.path or migsafe.diagnostics needs. Kept
// apart from VS Code for the node tests.
'use strict';

// lifecycle takes makeClient() -> a LanguageClient (start(), stop()) and onError(err)
// for a stop that failed. Starts and restarts run one after the other, so a restart
// asked for while the server is still starting stops that one once it has started,
// and two servers never run side by side.
function lifecycle(makeClient, onError = () => {}) {
  let client;
  let queue = Promise.resolve();
  const run = (step) => {
    const done = queue.then(step);
    queue = done.catch(() => {}); // a failed step must not stop the ones after it
    return done;
  };
  const start = async () => {
    client = makeClient();
    await client.start();
  };
  const stop = async () => {
    const old = client;
    client = undefined;
    if (!old) return;
    try {
      await old.stop();
    } catch (err) {
      // A client whose server failed to start (a wrong migsafe.path) cannot be
      // stopped: vscode-languageclient throws "Client is not running". The restart
      // that comes with fixing the path must still start the new one.
      onError(err);
    }
  };
  return {
    get client() { return client; },
    start: () => run(start),
    restart: () => run(async () => { await stop(); await start(); }),
    stop: () => run(stop),
  };
}

module.exports = { lifecycle };
