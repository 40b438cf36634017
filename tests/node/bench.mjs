// Latency of `didChange` -> matching `publishDiagnostics` on a 1,000-statement
// migration, for each language server given, plus the server's resident memory with
// 1,000 open migration files. Run by scripts/bench-lsp.sh:
//   node bench.mjs NAME:MODE[:raw]=CMD [...]     (MODE push or pull; CMD split on spaces)
// push times didChange -> the publishDiagnostics of that version; pull times
// didChange + textDocument/diagnostic -> its answer (squawk's server only answers pull
// requests: it pushes nothing on didOpen or didChange). Every server runs with its
// default settings: migsafe's push waits out its 150 ms typing debounce, its pull
// analyses at once. When a command logs with `--log-file FILE -v`, the server's own
// analysis times are read from FILE and the pull p50 is compared with theirs (a pull
// sends the result id of the answer it holds, as VS Code does; mode pull-noid does not): the
// analysis is the server's work on the edited version (its parse, history, rules and
// the protocol diagnostics made from the findings); the server's own span of each pull
// (request read -> answer written, logged as "handled") and each pull's latency minus
// its own version's analysis are printed too, to tell the server's overhead from the
// client's (the client, vscode-jsonrpc as in VS Code, parses every answer). With
// ":raw" the same run goes through rawConnection instead: a client that writes each
// message in one write and parses each answer as it arrives, to tell the server's
// latency from what vscode-jsonrpc adds to every message it sends (it awaits the header's
// write before writing the body, behind a queue it drains on setImmediate).
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  InitializeRequest, InitializedNotification, PublishDiagnosticsNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  ShutdownRequest, ExitNotification,
} from 'vscode-languageserver-protocol/node.js';

const EDITS = Number(process.env.BENCH_EDITS || 100);
const STATEMENTS = 1000;
const FILES = Number(process.env.BENCH_FILES || 1000);

// A migration of n statements in the shapes migrations have, with findings of several rules.
function migration(n, seed) {
  const lines = [];
  for (let i = 0; i < n; i++) {
    switch (i % 5) {
      case 0: lines.push(`CREATE TABLE t${seed}_${i} (id bigint PRIMARY KEY, name text);`); break;
      case 1: lines.push(`CREATE INDEX t${seed}_${i}_idx ON users (col_${i});`); break;
      case 2: lines.push(`ALTER TABLE users ADD COLUMN c_${i} text NOT NULL;`); break;
      case 3: lines.push(`ALTER TABLE orders ADD COLUMN d_${i} integer DEFAULT 0;`); break;
      default: lines.push(`UPDATE accounts SET flag_${i} = true WHERE id < ${i};`);
    }
  }
  return lines.join('\n') + '\n';
}

function rss(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) : NaN;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// rawConnection is the part of vscode-jsonrpc's connection the bench uses, over a
// minimal JSON-RPC framing: one write per message (header and body together), answers
// parsed as they arrive, requests from the server answered null.
function rawConnection(proc) {
  let buf = Buffer.alloc(0);
  let id = 0;
  const pending = new Map(); // request id -> { resolve, reject }
  const notes = new Map(); // method -> handler
  const method = (t) => (typeof t === 'string' ? t : t.method);
  const send = (msg) => {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    return new Promise((resolve, reject) => {
      proc.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]),
        (err) => (err ? reject(err) : resolve()));
    });
  };
  const onData = (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /Content-Length: *(\d+)/i.exec(buf.subarray(0, end).toString('ascii'));
      if (!m) throw new Error(`raw client: a header without Content-Length: ${buf.subarray(0, end)}`);
      const n = Number(m[1]);
      if (buf.length < end + 4 + n) return;
      const msg = JSON.parse(buf.subarray(end + 4, end + 4 + n).toString('utf8'));
      buf = buf.subarray(end + 4 + n);
      if (msg.method === undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (p) (msg.error ? p.reject(new Error(msg.error.message)) : p.resolve(msg.result));
      } else if (msg.id !== undefined) {
        send({ jsonrpc: '2.0', id: msg.id, result: null });
      } else if (notes.has(msg.method)) {
        notes.get(msg.method)(msg.params);
      }
    }
  };
  return {
    onNotification: (t, h) => { if (h) notes.set(method(t), h); },
    onRequest: () => {},
    listen: () => proc.stdout.on('data', onData),
    sendNotification: (t, params) => send({ jsonrpc: '2.0', method: method(t), params }),
    sendRequest: (t, params) => new Promise((resolve, reject) => {
      const i = ++id;
      pending.set(i, { resolve, reject });
      send({ jsonrpc: '2.0', id: i, method: method(t), params }).catch(reject);
    }),
    dispose: () => proc.stdout.off('data', onData),
  };
}

async function run(name, mode, transport, argv) {
  const proc = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = transport === 'raw' ? rawConnection(proc)
    : createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  let waiter = null;
  const seen = new Map(); // uri -> count of publishes
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    seen.set(p.uri, (seen.get(p.uri) || 0) + 1);
    if (waiter && waiter.uri === p.uri && (p.version === undefined || p.version === null || p.version === waiter.version)) {
      const w = waiter;
      waiter = null;
      w.resolve(p);
    }
  });
  conn.onRequest(() => null);
  conn.onNotification(() => {});
  conn.listen();
  const init = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri: null,
    capabilities: { textDocument: mode.startsWith('pull')
      ? { publishDiagnostics: { versionSupport: true }, diagnostic: {} }
      : { publishDiagnostics: { versionSupport: true } } },
  });
  await conn.sendNotification(InitializedNotification.type, {});
  const sync = init.capabilities.textDocumentSync;
  const incremental = (typeof sync === 'number' ? sync : sync && sync.change) === 2;

  const dir = mkdtempSync(path.join(tmpdir(), `bench-${name}-`));
  const uri = pathToFileURL(path.join(dir, '0001_big.sql')).href;
  const pushed = (u, version) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no diagnostics for ${u} v${version}`)), 60000);
    waiter = { uri: u, version, resolve: (p) => { clearTimeout(timer); resolve(p); } };
  });
  // published returns a function to call once the notification is sent, resolving
  // with the diagnostics of that version.
  const published = (u, version) => {
    if (mode === 'push') {
      const p = pushed(u, version);
      return () => p;
    }
    // As VS Code's client does, a pull sends the result id of the answer it holds and
    // keeps its diagnostics when told they are unchanged; mode pull-noid sends none, so
    // every answer is in full.
    const previousResultId = mode === 'pull' ? resultIds.get(u) : undefined;
    return () => conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: u }, previousResultId })
      .then((r) => {
        if (r.kind === 'unchanged') {
          unchanged++;
          return { diagnostics: held.get(u) };
        }
        if (r.resultId !== undefined) resultIds.set(u, r.resultId);
        held.set(u, r.items);
        return { diagnostics: r.items };
      });
  };
  const resultIds = new Map(); // uri -> the result id of the answer held
  const held = new Map(); // uri -> the diagnostics held
  let unchanged = 0;

  let text = migration(STATEMENTS, 0);
  let p = published(uri, 1);
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sql', version: 1, text } });
  const first = await p();
  unchanged = 0;
  const times = [];
  const byVersion = new Map(); // version -> its pull or push latency, for pairing
  for (let i = 0; i < EDITS; i++) {
    const version = i + 2;
    const line = (i * 7) % STATEMENTS;
    const lines = text.split('\n');
    const old = lines[line];
    const now = old.replace(/;$/, ` ;`); // a one-character edit at the end of a statement
    lines[line] = now;
    text = lines.join('\n');
    const change = incremental
      ? { range: { start: { line, character: 0 }, end: { line, character: old.length } }, text: now }
      : { text };
    p = published(uri, version);
    const t0 = process.hrtime.bigint();
    await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [change] });
    await p();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    byVersion.set(version, times[times.length - 1]);
  }
  const unchangedEdits = unchanged;
  times.sort((a, b) => a - b);
  // The floor under a pull: the same request with no edit before it, answered from
  // the analysis the server holds (no analysis, an "unchanged" answer to a held id):
  // the round trip of a request through the pipes and this client, and the
  // server's handling of it.
  const floor = [];
  if (mode.startsWith('pull')) {
    for (let i = 0; i < EDITS; i++) {
      const t0 = process.hrtime.bigint();
      await published(uri, EDITS + 1)();
      floor.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    floor.sort((a, b) => a - b);
  }

  // Memory with FILES open migrations of 20 statements each.
  for (let f = 0; f < FILES; f++) {
    const u = pathToFileURL(path.join(dir, `${String(f + 2).padStart(5, '0')}_m.sql`)).href;
    p = published(u, 1);
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'sql', version: 1, text: migration(20, f + 1) } });
    await p();
  }
  const mem = rss(proc.pid);
  const logged = serverLog(argv, EDITS);
  const analysis = [...logged.analysis.values()].sort((a, b) => a - b);
  const paired = [...logged.analysis].filter(([v]) => byVersion.has(v));
  const overhead = paired.map(([v, ms]) => byVersion.get(v) - ms).sort((a, b) => a - b);
  const ratios = paired.map(([v, ms]) => byVersion.get(v) / ms).sort((a, b) => a - b);
  // The server's span of each pull (edit received -> answer made) over its analysis,
  // and what the client adds to it (sending the edit, reading and parsing the answer).
  const spans = [...logged.spans.values()].sort((a, b) => a - b);
  const spanRatios = [...logged.spans].filter(([v]) => logged.analysis.has(v))
    .map(([v, ms]) => ms / logged.analysis.get(v)).sort((a, b) => a - b);
  const client = [...logged.spans].filter(([v]) => byVersion.has(v))
    .map(([v, ms]) => byVersion.get(v) - ms).sort((a, b) => a - b);
  await conn.sendRequest(ShutdownRequest.type);
  // The server writes its profiles ($MIGSAFE_MEMPROFILE...) as it exits: wait for
  // that (a few seconds at most) before killing it.
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  await conn.sendNotification(ExitNotification.type);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  conn.dispose();
  proc.kill();
  return { name, mode, transport, sync: incremental ? 'incremental' : 'full', findings: first.diagnostics.length, unchangedEdits,
    p50: percentile(times, 50), p95: percentile(times, 95), rssMB: mem / 1024,
    analysisP50: analysis.length ? percentile(analysis, 50) : null,
    overheadP50: overhead.length ? percentile(overhead, 50) : null,
    ratioP50: ratios.length ? percentile(ratios, 50) : null,
    spanP50: spans.length ? percentile(spans, 50) : null,
    spanRatioP50: spanRatios.length ? percentile(spanRatios, 50) : null,
    clientP50: client.length ? percentile(client, 50) : null,
    floorP50: floor.length ? percentile(floor, 50) : null };
}

// serverLog reads migsafe's log (--log-file FILE -v): how long the analyses of the
// big file's edits took, and the server's span of each of their pulls, from the edit's
// arrival to the answer made ("pulled ... sinceEdit"), both by version (2 .. edits+1).
function serverLog(argv, edits) {
  const i = argv.indexOf('--log-file');
  const out = { analysis: new Map(), spans: new Map() };
  if (i < 0 || !argv.includes('-v')) return out;
  const unit = { ns: 1e-6, 'µs': 1e-3, us: 1e-3, ms: 1, s: 1000 };
  const ms = (n, u) => Number(n) * unit[u || 's'];
  for (const line of readFileSync(argv[i + 1], 'utf8').split('\n')) {
    // `migsafe lsp` logs durations in seconds; a development logger writes "9.1ms".
    const m = line.match(/\banalysed\b.*"uri": "[^"]*0001_big\.sql", "version": (\d+), "took": "?([\d.e-]+)(ns|µs|us|ms|s)?"?/);
    if (m && Number(m[1]) >= 2 && Number(m[1]) <= edits + 1) out.analysis.set(Number(m[1]), ms(m[2], m[3]));
    const h = line.match(/\bpulled\b.*"uri": "[^"]*0001_big\.sql", "version": (\d+), "sinceEdit": "?([\d.e-]+)(ns|µs|us|ms|s)?"?/);
    if (h && Number(h[1]) >= 2 && Number(h[1]) <= edits + 1) out.spans.set(Number(h[1]), ms(h[2], h[3]));
  }
  return out;
}

const results = [];
for (const arg of process.argv.slice(2)) {
  const i = arg.indexOf('=');
  const [name, mode, transport] = arg.slice(0, i).split(':');
  results.push(await run(name, mode || 'push', transport || 'vscode-jsonrpc', arg.slice(i + 1).split(' ')));
}
console.log(`didChange -> publishDiagnostics, ${STATEMENTS}-statement file, ${EDITS} edits; RSS with ${FILES} more open files`);
console.log('server      mode       sync         diagnostics  p50 ms    p95 ms    RSS MB  unchanged answers');
for (const r of results) {
  console.log(`${r.name.padEnd(12)}${r.mode.padEnd(11)}${r.sync.padEnd(13)}${String(r.findings).padEnd(13)}${r.p50.toFixed(2).padEnd(10)}${r.p95.toFixed(2).padEnd(10)}${r.rssMB.toFixed(1).padEnd(8)}${r.mode === 'push' ? '-' : `${r.unchangedEdits} of ${EDITS}`}`);
}
const d0 = results.find((r) => r.name === 'migsafe-d0');
const pull = results.find((r) => r.name === 'migsafe' && r.mode === 'pull');
if (d0 && pull) {
  console.log(`migsafe pull with the default debounce / without any: p50 ${pull.p50.toFixed(2)} / ${d0.p50.toFixed(2)} ms = ${(pull.p50 / d0.p50).toFixed(3)}`);
}
for (const r of results.filter((x) => x.analysisP50 !== null)) {
  console.log(`${r.name} ${r.mode}: analysis p50 ${r.analysisP50.toFixed(2)} ms (server log); ${r.mode} p50 / analysis p50 = ${(r.p50 / r.analysisP50).toFixed(3)}`);
  console.log(`${r.name} ${r.mode}: each ${r.mode} minus its version's analysis, p50 ${r.overheadP50.toFixed(2)} ms; over it, p50 ${r.ratioP50.toFixed(3)}` +
    (r.spanP50 === null ? '' : `; the server's span of a pull (edit received -> answer made) p50 ${r.spanP50.toFixed(2)} ms, over its analysis p50 ${r.spanRatioP50.toFixed(3)}; the client's part (edit sent, answer read and parsed) p50 ${r.clientP50.toFixed(2)} ms`));
}
for (const r of results.filter((x) => x.floorP50 !== null && x.analysisP50 !== null)) {
  console.log(`${r.name} ${r.mode}: a pull with no edit before it (no analysis) p50 ${r.floorP50.toFixed(2)} ms; ` +
    `${r.mode} p50 less that floor, over the analysis p50: ${((r.p50 - r.floorP50) / r.analysisP50).toFixed(3)}`);
}
const base = results[results.length - 1];
for (const r of results.slice(0, -1)) {
  console.log(`p50 ratio ${r.name} ${r.mode} / ${base.name} ${base.mode}: ${(r.p50 / base.p50).toFixed(3)}`);
}
