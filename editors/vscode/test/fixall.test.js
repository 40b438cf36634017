'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { fixAll } = require('../fixall');

const action = (title, code, extra = {}) => ({ title, isPreferred: true, edit: {}, diagnostics: [{ source: 'migsafe', code, message: `${code} ${title}` }], ...extra });

test('applies the preferred migsafe fix of each finding, asking again after each', async () => {
  let findings = [action('Add CONCURRENTLY', 'a'), action('Add CONCURRENTLY', 'b'), action('Set lock_timeout', 'c')];
  const offered = [];
  const applied = await fixAll(
    async () => {
      offered.push(findings.length);
      return [
        ...findings,
        { title: 'Ignore for this file', isPreferred: false, edit: {}, diagnostics: [{ source: 'migsafe' }] },
        { title: 'Another tool', isPreferred: true, edit: {}, diagnostics: [{ source: 'eslint' }] },
      ];
    },
    async (a) => { findings = findings.filter((f) => f !== a); return true; },
  );
  assert.deepStrictEqual(applied, ['Add CONCURRENTLY', 'Add CONCURRENTLY', 'Set lock_timeout']);
  assert.deepStrictEqual(offered, [3, 2, 1, 0]);
});

test('a fix that does not remove its finding is tried once, and a refused edit is not counted', async () => {
  const stuck = action('Stuck fix', 'x');
  const refused = action('Refused', 'y');
  let calls = 0;
  const applied = await fixAll(async () => [stuck, refused], async (a) => { calls++; return a !== refused; });
  assert.deepStrictEqual(applied, ['Stuck fix']);
  assert.strictEqual(calls, 2);
});
