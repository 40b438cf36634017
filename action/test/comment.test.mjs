// The API step against a fake GitHub on 127.0.0.1: it creates a comment, updates its own
// on the next run (across pages), leaves others' alone, and fails loudly.
import test from 'node:test';
import assert from 'node:assert';
import http from 'node:http';
import { upsertComment, nextPage, main, forkWarning, MARKER } from '../comment.mjs';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// fakeGitHub serves issue comments of one pull request, 2 per page.
async function fakeGitHub(comments, { failWith } = {}) {
  const calls = [];
  let nextId = 1000;
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      calls.push({ method: req.method, url: req.url, auth: req.headers.authorization, body: data && JSON.parse(data).body });
      if (failWith) {
        res.writeHead(failWith, { 'content-type': 'application/json' });
        res.end('{"message":"Resource not accessible by integration"}');
        return;
      }
      const u = new URL(req.url, 'http://x');
      let m;
      if (req.method === 'GET' && (m = u.pathname.match(/^\/repos\/acme\/shop\/issues\/7\/comments$/))) {
        const page = Number(u.searchParams.get('page') || 1);
        const slice = comments.slice((page - 1) * 2, page * 2);
        const headers = { 'content-type': 'application/json' };
        if (page * 2 < comments.length) headers.link = `<http://127.0.0.1:${server.address().port}/repos/acme/shop/issues/7/comments?per_page=100&page=${page + 1}>; rel="next"`;
        res.writeHead(200, headers);
        res.end(JSON.stringify(slice));
      } else if (req.method === 'POST' && u.pathname === '/repos/acme/shop/issues/7/comments') {
        const c = { id: nextId++, body: JSON.parse(data).body };
        comments.push(c);
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify(c));
      } else if (req.method === 'PATCH' && (m = u.pathname.match(/^\/repos\/acme\/shop\/issues\/comments\/(\d+)$/))) {
        const c = comments.find((x) => x.id === Number(m[1]));
        c.body = JSON.parse(data).body;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(c));
      } else {
        res.writeHead(404);
        res.end('{}');
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { api: `http://127.0.0.1:${server.address().port}`, calls, close: () => server.close() };
}

const opts = (api, body) => ({ api, token: 't0ken', repo: 'acme/shop', pr: 7, body });

test('creates the comment, then updates it in place on the next run', async () => {
  const comments = [{ id: 1, body: 'LGTM' }, { id: 2, body: 'a question' }, { id: 3, body: `not ours: mentions ${MARKER} later` }];
  const gh = await fakeGitHub(comments);
  try {
    const first = await upsertComment(opts(gh.api, `${MARKER}\n# migsafe: BLOCK`));
    assert.deepStrictEqual(first, { action: 'created', id: 1000 });
    const second = await upsertComment(opts(gh.api, `${MARKER}\n# migsafe: SAFE TO SHIP`));
    assert.deepStrictEqual(second, { action: 'updated', id: 1000 });
    assert.strictEqual(comments.length, 4);
    assert.strictEqual(comments[3].body, `${MARKER}\n# migsafe: SAFE TO SHIP`);
    assert.strictEqual(comments[2].body, `not ours: mentions ${MARKER} later`);
    // The second run read both pages before finding its comment on the second.
    assert.deepStrictEqual(gh.calls.map((c) => c.method), ["GET", "GET", "POST", "GET", "GET", "PATCH"]);
    assert.ok(gh.calls.every((c) => c.auth === 'Bearer t0ken'));
  } finally {
    gh.close();
  }
});

test('an API error fails with the status and GitHub\'s message', async () => {
  const gh = await fakeGitHub([], { failWith: 403 });
  try {
    await assert.rejects(upsertComment(opts(gh.api, `${MARKER}\nx`)), /HTTP 403: .*Resource not accessible by integration/);
  } finally {
    gh.close();
  }
});

test('refuses a body without the marker and bad inputs, before any request', async () => {
  const never = () => { throw new Error('no request expected'); };
  await assert.rejects(upsertComment({ ...opts('http://x', 'no marker'), fetch: never }), /must start with/);
  await assert.rejects(upsertComment({ ...opts('http://x', `${MARKER}\n`), repo: 'acme', fetch: never }), /owner\/name/);
  await assert.rejects(upsertComment({ ...opts('http://x', `${MARKER}\n`), pr: 'main', fetch: never }), /pull request number/);
});

test('Link headers', () => {
  assert.strictEqual(nextPage('<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"'), 'https://api.github.com/x?page=2');
  assert.strictEqual(nextPage('<https://api.github.com/x?page=1>; rel="prev"'), null);
  assert.strictEqual(nextPage(null), null);
});

// A pull request from a fork gets a read-only token (or none, with github-token: ''):
// the comment step failed the job with HTTP 403 before the SARIF upload and the
// verdict, a SAFE TO SHIP migration included. It warns now, and a 403 outside a fork
// still fails, naming the permission it needs.
test('a fork that may not comment gets a warning, not a failure', async () => {
  const body = join(mkdtempSync(join(tmpdir(), 'migsafe-')), 'comment.md');
  writeFileSync(body, `${MARKER}\n# migsafe: ✅ SAFE TO SHIP`);
  const gh = await fakeGitHub([], { failWith: 403 });
  try {
    const env = { GITHUB_API_URL: gh.api, GITHUB_TOKEN: 'read-only', GITHUB_REPOSITORY: 'acme/shop', PR_NUMBER: '7', BODY_FILE: body };
    const logged = [];
    await main({ ...env, MIGSAFE_FORK: 'true' }, (l) => logged.push(l));
    await main({ ...env, MIGSAFE_FORK: 'true', GITHUB_TOKEN: '' }, (l) => logged.push(l));
    assert.deepStrictEqual(logged, [forkWarning, forkWarning]);
    await assert.rejects(main({ ...env, MIGSAFE_FORK: 'false' }, () => {}), /HTTP 403: .*pull-requests: write/);
  } finally {
    gh.close();
  }
});
