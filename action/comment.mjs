// The GitHub API step of the migsafe action: creates the pull request's migsafe
// comment, or updates the one it made before (found by the hidden marker its first
// line carries), so a pull request has one migsafe comment however often CI runs.
// It knows nothing of the report: it posts the file it is given.
//
//   node comment.mjs            with GITHUB_TOKEN, GITHUB_REPOSITORY, PR_NUMBER,
//                               BODY_FILE, and GITHUB_API_URL (default https://api.github.com)
//   DRY_RUN=1 node comment.mjs  prints what it would send instead, reading nothing
//
// Node 20's fetch, no dependencies: the runner has Node, not a package cache.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const MARKER = '<!-- migsafe-pr-comment -->';

// upsertComment finds the comment that starts with MARKER among the pull request's
// comments (every page) and updates it, or creates one; it returns what it did.
export async function upsertComment({ api, token, repo, pr, body, fetch = globalThis.fetch }) {
  if (!body.startsWith(MARKER)) throw new Error(`the comment body must start with ${MARKER}, or the next run cannot find it`);
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new Error(`GITHUB_REPOSITORY ${JSON.stringify(repo)} is not owner/name`);
  if (!/^\d+$/.test(String(pr))) throw new Error(`PR_NUMBER ${JSON.stringify(pr)} is not a pull request number`);
  const headers = {
    authorization: `Bearer ${token}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'content-type': 'application/json',
  };
  const call = async (method, url, data) => {
    const res = await fetch(url, { method, headers, body: data === undefined ? undefined : JSON.stringify(data) });
    if (!res.ok) {
      const text = await res.text();
      throw Object.assign(new Error(`${method} ${url}: HTTP ${res.status}: ${text.slice(0, 500)}`), { status: res.status });
    }
    return res;
  };
  let url = `${api}/repos/${repo}/issues/${pr}/comments?per_page=100`;
  let existing;
  while (url && !existing) {
    const res = await call('GET', url);
    const page = await res.json();
    existing = page.find((c) => typeof c.body === 'string' && c.body.startsWith(MARKER));
    url = nextPage(res.headers.get('link'));
  }
  if (existing) {
    await call('PATCH', `${api}/repos/${repo}/issues/comments/${existing.id}`, { body });
    return { action: 'updated', id: existing.id };
  }
  const res = await call('POST', `${api}/repos/${repo}/issues/${pr}/comments`, { body });
  return { action: 'created', id: (await res.json()).id };
}

// nextPage reads the rel="next" URL of a Link header.
export function nextPage(link) {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = part.match(/<([^>]+)>\s*;\s*rel="next"/);
    if (m) return m[1];
  }
  return null;
}

// forkWarning is what a pull request from a fork gets instead of a failed job when
// the comment cannot be posted: GitHub gives its workflows a read-only token (or none),
// so the API refuses the comment (HTTP 403), and the verdict step still decides.
export const forkWarning = '::warning title=migsafe::no pull-request comment: a pull request from a fork gets a read-only token; the report is in the job summary';

// main posts the comment; a fork (MIGSAFE_FORK=true, set by action.yml) that may not
// comment gets forkWarning, not a failure.
export async function main(env = process.env, log = console.log) {
  const body = readFileSync(env.BODY_FILE || 'comment.md', 'utf8');
  if (env.DRY_RUN) {
    console.log(`would create or update the migsafe comment on ${env.GITHUB_REPOSITORY || 'owner/repo'} pull request #${env.PR_NUMBER || '?'} (${body.length} characters):`);
    console.log(body);
    return;
  }
  const fork = env.MIGSAFE_FORK === 'true';
  if (fork && !env.GITHUB_TOKEN) {
    log(forkWarning);
    return;
  }
  for (const k of ['GITHUB_TOKEN', 'GITHUB_REPOSITORY', 'PR_NUMBER']) {
    if (!env[k]) throw new Error(`${k} is not set`);
  }
  let done;
  try {
    done = await upsertComment({
      api: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, ''),
      token: env.GITHUB_TOKEN, repo: env.GITHUB_REPOSITORY, pr: env.PR_NUMBER, body,
    });
  } catch (err) {
    if (fork && err.status === 403) {
      log(forkWarning);
      return;
    }
    if (err.status === 403) err.message += ' (the job needs permissions: pull-requests: write)';
    throw err;
  }
  log(`migsafe: ${done.action} comment ${done.id} on pull request #${env.PR_NUMBER}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(`migsafe comment: ${err.message}`);
    process.exit(1);
  });
}
