// The client's lifetime (restart.js) against fake clients that behave as
// vscode-languageclient 9 does: stop() throws for a client that is not running.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { lifecycle } = require('../restart');

// fakes makes clients whose start fails for the ids in failing, and records the
// running ones.
function fakes(failing = new Set(), startMs = 0) {
  const running = new Set();
  const made = [];
  let maxRunning = 0;
  const makeClient = () => {
    const id = made.length;
    let state = 'initial';
    const c = {
      id,
      async start() {
        state = 'starting';
        await new Promise((r) => setTimeout(r, startMs));
        if (failing.has(id)) {
          state = 'startFailed';
          throw new Error(`spawn migsafe-${id} ENOENT`);
        }
        state = 'running';
        running.add(id);
        maxRunning = Math.max(maxRunning, running.size);
      },
      async stop() {
        if (state !== 'running') throw new Error(`Client is not running and can't be stopped. It's current state is: ${state}`);
        state = 'stopped';
        running.delete(id);
      },
    };
    made.push(c);
    return c;
  };
  return { makeClient, running, made, maxRunning: () => maxRunning };
}

test('a restart after a failed start (a wrong migsafe.path, then fixed) starts the new server', async () => {
  const f = fakes(new Set([0]));
  const errors = [];
  const s = lifecycle(f.makeClient, (e) => errors.push(e.message));
  await assert.rejects(s.start(), /ENOENT/);
  await s.restart();
  assert.strictEqual(s.client.id, 1);
  assert.deepStrictEqual([...f.running], [1]);
  assert.match(errors[0], /not running/);
});

test('a restart while the server starts stops it once started: never two servers', async () => {
  const f = fakes(new Set(), 20);
  const s = lifecycle(f.makeClient);
  const first = s.start();
  const restarts = [s.restart(), s.restart()];
  await first;
  await Promise.all(restarts);
  assert.strictEqual(f.made.length, 3);
  assert.deepStrictEqual([...f.running], [2]);
  assert.strictEqual(f.maxRunning(), 1);
});

test('a restart that fails to start does not stop later ones', async () => {
  const f = fakes(new Set([1]));
  const s = lifecycle(f.makeClient);
  await s.start();
  await assert.rejects(s.restart(), /ENOENT/);
  await s.restart();
  assert.deepStrictEqual([...f.running], [2]);
  await s.stop();
  assert.deepStrictEqual([...f.running], []);
  assert.strictEqual(s.client, undefined);
});
