// "migsafe: Fix all in this file": applies the preferred migsafe fix of each finding,
// one at a time, asking the server again after each (an applied fix moves the text
// and changes the findings). A fix that applies but leaves its finding is not tried
// twice. Kept apart from VS Code for the node tests.
'use strict';

// fixAll takes getActions() -> Promise<CodeAction[]> for the whole document and
// apply(action) -> Promise<boolean>; it returns the titles applied, in order.
async function fixAll(getActions, apply, max = 100) {
  const applied = [];
  const tried = new Set();
  for (let i = 0; i < max; i++) {
    const actions = await getActions();
    const next = actions.find((a) => a.isPreferred && a.edit && isMigsafe(a) && !tried.has(key(a)));
    if (!next) break;
    tried.add(key(next));
    if (await apply(next)) applied.push(next.title);
  }
  return applied;
}

// key names a fix of a finding: two findings may have fixes of the same title.
function key(action) {
  const d = (action.diagnostics || [])[0];
  return `${action.title}\n${d ? `${d.code} ${d.message}` : ''}`;
}

function isMigsafe(action) {
  return (action.diagnostics || []).some((d) => d.source === 'migsafe');
}

module.exports = { fixAll };
