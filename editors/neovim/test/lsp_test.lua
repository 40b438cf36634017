-- Headless Neovim (0.7+) test of `migsafe lsp` through the plugin, loaded the way the
-- README says: editors/neovim on 'runtimepath', then require('migsafe').setup{}.
-- run.sh runs it as
--   nvim --headless -u NONE -c 'luafile lsp_test.lua'
-- with MIGSAFE_BIN (the binary), MIGSAFE_RESULT (file to write PASS or FAIL: why) and
-- MIGSAFE_CASE: "main" (diagnostics, the ignore action, :MigsafeExplain, incremental
-- UTF-16 edits, hover); "setup" (settings reach the server, the capabilities
-- announced, BLOCK sorted over FLAG); "badsetup" (options of the wrong type refused
-- clearly); "concurrently" (the in-place CONCURRENTLY fix); "split" (the phased fix
-- that creates follow-up migrations, chosen and applied through vim.lsp.buf.code_action);
-- "splitdir" (the same for Diesel, whose follow-ups are new directories); "restart"
-- (:MigsafeRestart); "rename" (edits after :saveas reach the server).
local bin = assert(os.getenv('MIGSAFE_BIN'), 'MIGSAFE_BIN not set')
local result_path = assert(os.getenv('MIGSAFE_RESULT'), 'MIGSAFE_RESULT not set')
local case = os.getenv('MIGSAFE_CASE') or 'main'

local INDEX_RULE = 'require-concurrent-index-creation'
local COLUMN_RULE = 'adding-required-column'
local CREATE_INDEX = 'CREATE INDEX users_email_idx ON users (email);'
local ADD_PHONE = 'ALTER TABLE users ADD COLUMN phone text NOT NULL;'

local function finish(status)
  local f = assert(io.open(result_path, 'w'))
  f:write(status, '\n')
  f:close()
  if status == 'PASS' then
    vim.cmd('qall!')
  else
    vim.cmd('cquit 1')
  end
end

local function check(cond, msg)
  if not cond then
    finish('FAIL: ' .. msg)
    error(msg) -- stop this script; cquit has already been requested
  end
end

-- A hard timeout, so a hung server never hangs the harness.
local timer = vim.loop.new_timer()
timer:start(30000, 0, vim.schedule_wrap(function() finish('FAIL: timeout after 30s') end))

local here = debug.getinfo(1, 'S').source:sub(2):match('(.*)/')
vim.opt.runtimepath:append(vim.fn.fnamemodify(here .. '/..', ':p'))
local migsafe = require('migsafe')

if case == 'badsetup' then
  -- Options of the wrong type are refused at setup, naming the option, instead of a
  -- Lua traceback from the FileType autocmd on every SQL buffer.
  for _, tc in ipairs({
    { { settings = 5 }, 'migsafe.setup: settings: expected table, got number' },
    { { cmd = 'migsafe' }, 'migsafe.setup: cmd: expected table, got string' },
    { { client = 3 }, 'migsafe.setup: client: expected table, got number' },
    { 'x', 'migsafe.setup: expected a table of options, got string' },
  }) do
    local ok, err = pcall(migsafe.setup, tc[1])
    check(not ok and tostring(err):find(tc[2], 1, true) ~= nil,
      'setup(' .. vim.inspect(tc[1]) .. '): ' .. tostring(ok) .. ' ' .. tostring(err) .. ', want "' .. tc[2] .. '"')
  end
  -- A single filetype or root marker may be a string.
  local opts = migsafe.setup({ filetypes = 'sql', root_markers = 'migsafe.toml' })
  check(vim.deep_equal(opts.root_markers, { 'migsafe.toml' }), 'root_markers: ' .. vim.inspect(opts.root_markers))
  finish('PASS')
  return
end

local dir = vim.fn.tempname()
vim.fn.mkdir(dir .. '/migrations', 'p')
vim.fn.writefile({}, dir .. '/migsafe.toml') -- the project root
local path = dir .. '/migrations/0001_add_phone.sql'
if case == 'split' then
  -- golang-migrate's layout, so the follow-ups get its names and a down each.
  path = dir .. '/migrations/0001_add_phone.up.sql'
  vim.fn.writefile({ ADD_PHONE }, path)
  vim.fn.writefile({ 'ALTER TABLE users DROP COLUMN phone;' }, dir .. '/migrations/0001_add_phone.down.sql')
elseif case == 'splitdir' then
  -- Diesel's layout: each follow-up is a new directory.
  vim.fn.mkdir(dir .. '/migrations/2024-01-01-000000_add_phone', 'p')
  path = dir .. '/migrations/2024-01-01-000000_add_phone/up.sql'
  vim.fn.writefile({ ADD_PHONE }, path)
  vim.fn.writefile({ 'ALTER TABLE users DROP COLUMN phone;' }, dir .. '/migrations/2024-01-01-000000_add_phone/down.sql')
else
  vim.fn.writefile({ CREATE_INDEX, ADD_PHONE }, path)
end

migsafe.setup({ cmd = { bin, 'lsp', '--debounce', '20ms' }, settings = { tables = { users = '50M' } } })
vim.cmd('edit ' .. path)
local bufnr = vim.api.nvim_get_current_buf()
vim.bo[bufnr].filetype = 'sql' -- fires the plugin's FileType autocmd

local client_id, client
vim.wait(10000, function()
  for id, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if c.name == 'migsafe' then
      client_id, client = id, c
    end
  end
  return client_id ~= nil
end, 20)
check(client_id ~= nil, 'require("migsafe").setup{} did not attach a client')
check(client.config.root_dir == dir, 'root ' .. tostring(client.config.root_dir) .. ', want the directory with migsafe.toml')

local function code_of(d)
  if d.code then return d.code end
  return d.user_data and d.user_data.lsp and d.user_data.lsp.code
end

local function codes()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out, code_of(d))
  end
  table.sort(out)
  return table.concat(out, ' ')
end

local function has_code(code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if code_of(d) == code then return true end
  end
  return false
end

local function lines()
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
end

if case == 'restart' then
  check(vim.wait(15000, function() return has_code(INDEX_RULE) end, 20), 'no diagnostics; got: ' .. codes())
  local old = client
  vim.cmd('MigsafeRestart')
  local now
  check(vim.wait(10000, function()
    for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
      if c.name == 'migsafe' and c.id ~= old.id then now = c end
    end
    return now ~= nil and has_code(INDEX_RULE)
  end, 20), ':MigsafeRestart: no new client with diagnostics; attached: ' .. vim.inspect(vim.tbl_keys(vim.lsp.buf_get_clients(bufnr))) .. ' ' .. codes())
  check(old.is_stopped(), 'the old client still runs')
  check(#migsafe.clients() == 1, #migsafe.clients() .. ' migsafe clients after the restart')
  -- Edits reach the new server.
  vim.api.nvim_buf_set_lines(bufnr, 0, 1, false, { 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);' })
  check(vim.wait(15000, function() return not has_code(INDEX_RULE) end, 20), 'edit after the restart not analysed: ' .. codes())
  -- A publish of the old server handled after the restart (read before it exited,
  -- handled later on a loaded machine) shows nothing: Neovim resolves a message's
  -- handler as here.
  local method = 'textDocument/publishDiagnostics'
  local late = (old.handlers or {})[method] or vim.lsp.handlers[method]
  late(nil, { uri = vim.uri_from_bufnr(bufnr), diagnostics = { { message = 'late', code = INDEX_RULE, severity = 2,
    range = { start = { line = 0, character = 0 }, ['end'] = { line = 0, character = 1 } } } } },
    { client_id = old.id, method = method }, {})
  check(not has_code(INDEX_RULE), 'a publish of the stopped server was shown: ' .. codes())
  finish('PASS')
  return
end

if case == 'rename' then
  check(vim.wait(15000, function() return has_code(INDEX_RULE) end, 20), 'no diagnostics; got: ' .. codes())
  -- :saveas renames the buffer; its edits from then on are the new file's.
  local renamed = dir .. '/migrations/0002_renamed.sql'
  vim.cmd('silent saveas ' .. renamed)
  check(vim.api.nvim_get_current_buf() == bufnr, 'saveas made a new buffer')
  vim.api.nvim_buf_set_lines(bufnr, 0, 1, false, { 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);' })
  check(vim.wait(15000, function() return not has_code(INDEX_RULE) end, 20), 'edit after :saveas not analysed: ' .. codes())
  check(has_code(COLUMN_RULE), 'the other finding went too: ' .. codes())
  finish('PASS')
  return
end

-- The first phase of a NOT NULL column's split: the column added nullable, then its
-- DEFAULT set before any backfill, so rows inserted by code still running without the
-- column get a value (the value is the user's to write: a migsafe:todo says so).
local function split_first_phase()
  local l = lines()
  return vim.startswith(l, 'ALTER TABLE users ADD COLUMN phone text;\n')
    and l:find('ALTER TABLE users ALTER COLUMN phone SET DEFAULT', 1, true) ~= nil
    and l:find('SET NOT NULL', 1, true) == nil
end

if case == 'splitdir' then
  check(vim.wait(15000, function() return has_code(COLUMN_RULE) end, 20), 'no diagnostics; got: ' .. codes())
  local chosen
  vim.ui.select = function(items, _, on_choice)
    for i, item in ipairs(items) do
      local a = item.action or item[2]
      if not chosen and a.title:find('^Split into phase') then
        chosen = i
        return on_choice(item, i)
      end
    end
    on_choice(nil, nil)
  end
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  vim.lsp.buf.code_action()
  check(vim.wait(10000, function() return chosen ~= nil end, 20), 'no split action offered')
  check(vim.wait(5000, split_first_phase, 20), 'migration after the split: ' .. lines())
  vim.cmd('silent wall')
  local ups = vim.fn.glob(dir .. '/migrations/*/up.sql', false, true)
  check(#ups >= 3, 'follow-up migration directories: ' .. table.concat(vim.fn.glob(dir .. '/migrations/*', false, true), ', '))
  finish('PASS')
  return
end

if case == 'split' then
  check(vim.wait(15000, function() return has_code(COLUMN_RULE) end, 20), 'no diagnostics; got: ' .. codes())
  -- The user's path: code_action asks the server and offers the actions through
  -- vim.ui.select; this picks the split.
  local offered, chosen = {}, nil
  vim.ui.select = function(items, _, on_choice)
    for i, item in ipairs(items) do
      local a = item.action or item[2]
      table.insert(offered, a.title)
      if not chosen and a.title:find('^Split into phase') then
        chosen = i
        on_choice(item, i)
      end
    end
    if not chosen then on_choice(nil, nil) end
  end
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  vim.lsp.buf.code_action()
  check(vim.wait(10000, function() return chosen ~= nil or #offered > 0 end, 20), 'code_action offered nothing')
  check(chosen ~= nil, 'no split action offered (documentChanges with create must be announced); offered: ' .. table.concat(offered, '; '))
  check(vim.wait(5000, split_first_phase, 20), 'migration after the split: ' .. lines())
  -- The follow-up migrations exist, as buffers holding their SQL; :wall writes them.
  local created = vim.fn.glob(dir .. '/migrations/0002_*.up.sql', false, true)
  check(#created == 1, 'follow-up migrations created: ' .. table.concat(vim.fn.glob(dir .. '/migrations/*', false, true), ', '))
  vim.cmd('silent wall')
  -- The phases after the backfill (NOT VALID check, validate, SET NOT NULL) follow it.
  local text = ''
  for _, f in ipairs(vim.fn.glob(dir .. '/migrations/000[2-9]_*.up.sql', false, true)) do
    text = text .. table.concat(vim.fn.readfile(f), '\n') .. '\n'
  end
  check(text:find('NOT VALID', 1, true) ~= nil, 'follow-ups after ' .. created[1] .. ' hold: ' .. text)
  local all = table.concat(vim.fn.glob(dir .. '/migrations/*.sql', false, true), '\n')
  check(all:find('_set_not_null.up.sql', 1, true) ~= nil, 'no SET NOT NULL migration among: ' .. all)
  -- The rewritten migration is analysed again: the BLOCK is gone.
  check(vim.wait(15000, function() return not has_code(COLUMN_RULE) end, 20), 'finding still reported after the split: ' .. codes())
  finish('PASS')
  return
end

check(vim.wait(15000, function() return has_code(INDEX_RULE) end, 20), 'no diagnostics; got: ' .. codes())
local want = table.concat({ COLUMN_RULE, INDEX_RULE, 'require-lock-timeout', 'verdict' }, ' ')
check(codes() == want, 'diagnostic codes: got "' .. codes() .. '", want "' .. want .. '"')
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  if code_of(d) == INDEX_RULE then
    check(d.severity == vim.diagnostic.severity.ERROR, 'index finding is not an error')
    check(d.lnum == 0 and d.col == 0 and d.end_col == 12, 'index finding range ' .. d.lnum .. ':' .. d.col .. '-' .. d.end_col)
    check(d.source == 'migsafe', 'source ' .. tostring(d.source))
  end
end

local function code_actions(line)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = line, character = 0 }, ['end'] = { line = line, character = 0 } },
    context = { diagnostics = {} },
  }
  local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 10000)
  check(res and res[client_id] and res[client_id].result, 'no code action response')
  return res[client_id].result
end

local function titles(actions)
  local t = {}
  for _, a in ipairs(actions) do table.insert(t, a.title) end
  return table.concat(t, '; ')
end


-- The text edits an action makes to this buffer, from changes or documentChanges.
local function buffer_edits(a)
  local uri = vim.uri_from_bufnr(bufnr)
  if not a.edit then return nil end
  if a.edit.changes and a.edit.changes[uri] then return a.edit.changes[uri] end
  local out = {}
  for _, dc in ipairs(a.edit.documentChanges or {}) do
    if dc.textDocument and dc.textDocument.uri == uri then vim.list_extend(out, dc.edits) end
  end
  return out
end

if case == 'setup' then
  -- The settings given to setup reach the server: the hover estimates from users' size.
  local h = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = 0, character = 2 },
  }, 10000)
  local v = h and h[client_id] and h[client_id].result and h[client_id].result.contents.value or ''
  check(v:find('at ~50M rows', 1, true) ~= nil, 'hover does not use the settings from setup: ' .. v)
  local we = client.config.capabilities.workspace.workspaceEdit
  check(we.documentChanges == true and vim.tbl_contains(we.resourceOperations, 'create'), 'capabilities: ' .. vim.inspect(we))
  -- Line 2 has a BLOCK (adding-required-column) and a FLAG (statements after ACCESS
  -- EXCLUSIVE): sorted by severity, the error's sign is the one shown.
  local ns = vim.lsp.diagnostic.get_namespace(client_id)
  check(vim.diagnostic.config(nil, ns).severity_sort == true, 'severity_sort not set for the client namespace')
  local placed = vim.fn.sign_getplaced(bufnr, { group = '*', lnum = 2 })[1].signs
  table.sort(placed, function(a, b) return a.priority > b.priority end)
  check(#placed > 0 and placed[1].name == 'DiagnosticSignError', 'top sign on line 2: ' .. vim.inspect(placed))
  finish('PASS')
  return
end

local actions = code_actions(0)
if case == 'concurrently' then
  local fix
  for _, a in ipairs(actions) do
    local edits = buffer_edits(a)
    if edits and #edits == 1 and edits[1].newText == 'CONCURRENTLY ' and edits[1].range.start.line == 0
      and edits[1].range.start.character == 13 and edits[1].range['end'].character == 13 then
      fix = a
    end
  end
  check(fix ~= nil, 'no action inserts "CONCURRENTLY " at 0:13; actions: ' .. titles(actions))
  check(fix.isPreferred == true, 'the CONCURRENTLY fix is not preferred')
  vim.lsp.util.apply_workspace_edit(fix.edit, 'utf-16')
  local got = vim.api.nvim_buf_get_lines(bufnr, 0, 1, false)[1]
  check(got == 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);', 'line 1 after the fix: ' .. got)
  check(vim.wait(15000, function() return not has_code(INDEX_RULE) end, 20), 'finding still reported after the fix: ' .. codes())
  finish('PASS')
  return
end

local ignore
for _, a in ipairs(actions) do
  if a.title == 'Ignore ' .. INDEX_RULE .. ' for this statement' then ignore = a end
end
check(ignore ~= nil, 'no ignore-for-statement action; actions: ' .. titles(actions))
vim.lsp.util.apply_workspace_edit(ignore.edit, 'utf-16')
local want_text = '-- migsafe:ignore ' .. INDEX_RULE .. ' -- <reason>\n' .. CREATE_INDEX
  .. '\nALTER TABLE users ADD COLUMN phone text NOT NULL;'
check(lines() == want_text, 'buffer after ignore: ' .. lines())
-- The placeholder is not a reason: the ignore comment is reported until one is typed.
check(vim.wait(15000, function() return has_code('invalid-ignore') end, 20), 'placeholder reason not reported: ' .. codes())
-- :MigsafeExplain with no argument explains the finding under the cursor: on line 1,
-- the ignore comment's problem (its code the rule ID check prints), not the verdict.
vim.api.nvim_win_set_cursor(0, { 1, 5 })
vim.cmd('MigsafeExplain')
local shown = vim.api.nvim_buf_get_lines(0, 0, 1, false)[1]
check(shown == '# invalid-ignore', ':MigsafeExplain on the ignore comment shows: ' .. tostring(shown))
vim.cmd('close')
local first = vim.api.nvim_buf_get_lines(bufnr, 0, 1, false)[1]
local at = first:find('<reason>', 1, true)
vim.api.nvim_buf_set_text(bufnr, 0, at - 1, 0, at - 1 + #'<reason>', { 'maintenance window' })
-- Neovim sends the edits as incremental didChanges; the finding must go away.
check(vim.wait(15000, function() return not has_code(INDEX_RULE) and not has_code('invalid-ignore') end, 20), 'finding still reported after ignore: ' .. codes())
check(has_code(COLUMN_RULE), 'the other finding disappeared: ' .. codes())

-- An edit typed after a multi-byte prefix, synced incrementally in UTF-16.
vim.api.nvim_buf_set_lines(bufnr, 0, 0, false, { '-- é😀 note' })
vim.api.nvim_buf_set_text(bufnr, 0, #'-- é😀 ', 0, #'-- é😀 note', { 'NOTE' })
local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = 3, character = 2 },
}, 10000)
local value = hover and hover[client_id] and hover[client_id].result and hover[client_id].result.contents.value or ''
check(value:find('ACCESS EXCLUSIVE', 1, true) ~= nil, 'hover on the ALTER TABLE: ' .. value)
finish('PASS')
