-- migsafe for Neovim 0.7 and newer, without plugin manager or nvim-lspconfig:
--
--   vim.opt.runtimepath:append('/path/to/migsafe/editors/neovim')
--   require('migsafe').setup({ settings = { pgVersion = 15, tables = { users = '50M' } } })
--
-- setup() starts one `migsafe lsp` per project root (the nearest directory holding
-- migsafe.toml or .git) for SQL buffers: with vim.lsp.start where Neovim has it (0.8+),
-- with vim.lsp.start_client on 0.7. It tells the server Neovim applies
-- workspaceEdit.documentChanges with create/rename/delete (Neovim does, but 0.7 does
-- not announce it, so the server would withhold every fix that writes a follow-up
-- migration), and sorts diagnostics by severity, so a line's BLOCK shows over its FLAG.
local M = {}

M.defaults = {
  cmd = { 'migsafe', 'lsp' },
  filetypes = { 'sql', 'pgsql', 'postgres' },
  root_markers = { 'migsafe.toml', '.git' },
  -- Sent as initializationOptions and answered to workspace/configuration:
  -- pgVersion, runner, tables, migrationGlobs, debounceMs, diagnostics; migsafe.toml
  -- wins where both speak.
  settings = {},
  -- Any other vim.lsp client options (on_attach, handlers, flags, ...).
  client = {},
}

local started = {} -- root -> client id, for start_client on 0.7

local function find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while true do
    for _, m in ipairs(markers) do
      if vim.loop.fs_stat(dir .. '/' .. m) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return vim.fn.fnamemodify(path, ':p:h')
    end
    dir = parent
  end
end

-- capabilities are Neovim's, plus what it applies without saying so.
function M.capabilities(base)
  local caps = vim.tbl_deep_extend('force', vim.lsp.protocol.make_client_capabilities(), base or {})
  caps.workspace = caps.workspace or {}
  caps.workspace.workspaceEdit = vim.tbl_deep_extend('force', caps.workspace.workspaceEdit or {}, {
    documentChanges = true,
    resourceOperations = { 'create', 'rename', 'delete' },
  })
  caps.workspace.configuration = true
  return caps
end

-- sort_by_severity makes the client's diagnostics (pushed, and pulled on 0.10+) sort
-- by severity, so signs and virtual text show the worst of a line first.
local function sort_by_severity(client)
  local ns = vim.lsp.diagnostic.get_namespace(client.id)
  vim.diagnostic.config({ severity_sort = true }, ns)
  local ok, pull = pcall(vim.lsp.diagnostic.get_namespace, client.id, true)
  if ok and pull ~= ns then
    vim.diagnostic.config({ severity_sort = true }, pull)
  end
end

-- config is the vim.lsp client configuration for a root.
function M.config(opts, root)
  -- An empty Lua table would go out as a JSON array.
  local settings = next(opts.settings) and opts.settings or vim.empty_dict()
  local c = vim.tbl_deep_extend('force', opts.client or {}, {
    name = 'migsafe',
    cmd = opts.cmd,
    root_dir = root,
    init_options = { migsafe = settings },
    settings = { migsafe = settings },
    capabilities = M.capabilities(opts.client and opts.client.capabilities),
  })
  -- A publish the old server sent before a restart can be handled after its client
  -- stopped and its diagnostics were cleared; they stayed beside the new server's
  -- (the restart test failed so once on a loaded machine). A stopped client's
  -- publishes are dropped.
  local handlers = c.handlers or {}
  local publish = handlers['textDocument/publishDiagnostics']
  handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
    local client = vim.lsp.get_client_by_id(ctx.client_id)
    if client == nil or client.is_stopped() then
      return
    end
    return (publish or vim.lsp.handlers['textDocument/publishDiagnostics'])(err, result, ctx, config)
  end
  c.handlers = handlers
  local user_init = opts.client and opts.client.on_init
  c.on_init = function(client, result)
    sort_by_severity(client)
    if user_init then
      user_init(client, result)
    end
  end
  return c
end

function M.attach(bufnr, opts)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == '' then
    return
  end
  local root = find_root(path, opts.root_markers)
  local config = M.config(opts, root)
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = started[root]
  local running = id and vim.lsp.get_client_by_id(id)
  -- A client being stopped is still found by its id until its server exits: a buffer
  -- attached to it got nothing.
  if not running or running.is_stopped() then
    id = vim.lsp.start_client(config)
    started[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

-- restart stops the migsafe servers, waits for them to exit, and attaches every SQL
-- buffer to a new one: stopping a client and editing the buffer at once left it with
-- none (Neovim 0.7 has no :LspRestart without nvim-lspconfig).
function M.restart(opts)
  local old = M.clients()
  vim.lsp.stop_client(old)
  vim.wait(5000, function()
    for _, c in ipairs(old) do
      -- Gone from the active clients once its server exited and its diagnostics
      -- were cleared (is_stopped() holds as soon as the stop is asked for).
      if vim.lsp.get_client_by_id(c.id) ~= nil then
        return false
      end
    end
    return true
  end, 20)
  -- A publish read before the exit can be handled after the exit cleared the old
  -- client's diagnostics: they would stay beside the new server's.
  for _, c in ipairs(old) do
    vim.diagnostic.reset(vim.lsp.diagnostic.get_namespace(c.id))
  end
  started = {}
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(opts.filetypes, vim.bo[buf].filetype) then
      M.attach(buf, opts)
    end
  end
end

-- clients are the running migsafe clients.
function M.clients()
  local out = {}
  for _, c in pairs(vim.lsp.get_active_clients()) do
    if c.name == 'migsafe' then
      table.insert(out, c)
    end
  end
  return out
end

-- Diagnostic codes that name no rule: the verdict, the configuration error, the
-- note on how many diagnostics are not shown.
local not_rules = { verdict = true, config = true, ['more-findings'] = true }

-- rule_under_cursor is the rule of the migsafe diagnostic under the cursor: the one
-- whose range holds it, else the most severe on its line (line 1 also holds the
-- verdict, which is no rule).
local function rule_under_cursor()
  local pos = vim.api.nvim_win_get_cursor(0)
  local lnum, col = pos[1] - 1, pos[2]
  local best, best_here
  for _, d in ipairs(vim.diagnostic.get(0, { lnum = lnum })) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if code and not not_rules[code] and (d.source == nil or d.source == 'migsafe') then
      local here = col >= d.col and (col < d.end_col or d.end_lnum > lnum)
      if not best or (here and not best_here) or (here == best_here and d.severity < best.severity) then
        best, best_here = { code = code, severity = d.severity }, here
      end
    end
  end
  return best and best.code
end

-- check_opts raises one clear error at setup for options of the wrong type, which
-- would otherwise fail with a Lua traceback on every SQL buffer opened.
local function check_opts(user)
  if user ~= nil and type(user) ~= 'table' then
    error(string.format('migsafe.setup: expected a table of options, got %s', type(user)), 3)
  end
  for _, key in ipairs({ 'filetypes', 'root_markers' }) do
    if type(user and user[key]) == 'string' then
      user[key] = { user[key] }
    end
  end
  local ok, err = pcall(vim.validate, {
    cmd = { user and user.cmd, 'table', true },
    filetypes = { user and user.filetypes, 'table', true },
    root_markers = { user and user.root_markers, 'table', true },
    settings = { user and user.settings, 'table', true },
    client = { user and user.client, 'table', true },
  })
  if not ok then
    error('migsafe.setup: ' .. tostring(err):gsub('^.-:%d+: ', ''), 3)
  end
  if user and user.cmd and type(user.cmd[1]) ~= 'string' then
    error("migsafe.setup: cmd: expected a list like { '/path/to/migsafe', 'lsp' }", 3)
  end
end

-- with_dirs makes apply_workspace_edit create the directory of each file a workspace
-- edit creates: Neovim 0.7 opens the new file without it, so the split fix of
-- a runner that keeps each migration in a directory of its own (Diesel, Prisma) failed
-- with "attempt to index local 'file' (a nil value)" and applied nothing. Creating a
-- missing parent is what later Neovims do for every server, so it is done for all.
local function with_dirs()
  if M._apply_workspace_edit then
    return
  end
  local apply = vim.lsp.util.apply_workspace_edit
  M._apply_workspace_edit = apply
  vim.lsp.util.apply_workspace_edit = function(edit, ...)
    for _, change in ipairs(type(edit) == 'table' and edit.documentChanges or {}) do
      if change.kind == 'create' and type(change.uri) == 'string' then
        vim.fn.mkdir(vim.fn.fnamemodify(vim.uri_to_fname(change.uri), ':h'), 'p')
      end
    end
    return apply(edit, ...)
  end
end

function M.setup(user)
  check_opts(user)
  local opts = vim.tbl_deep_extend('force', M.defaults, user or {})
  with_dirs()
  local group = vim.api.nvim_create_augroup('migsafe', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      M.attach(args.buf, opts)
    end,
  })
  -- Tell the server when migsafe.toml is saved from this editor (Neovim before 0.9
  -- does not watch files for it).
  vim.api.nvim_create_autocmd('BufWritePost', {
    group = group,
    pattern = 'migsafe.toml',
    callback = function(args)
      local uri = vim.uri_from_fname(vim.api.nvim_buf_get_name(args.buf))
      for _, c in ipairs(M.clients()) do
        c.notify('workspace/didChangeWatchedFiles', { changes = { { uri = uri, type = 2 } } })
      end
    end,
  })
  -- Neovim 0.7 keeps a renamed buffer (:saveas, :file NAME) open under its old name
  -- and sends its edits under the new one, which the server has not seen opened, so
  -- its diagnostics stayed those of the old text: tell the server the old document
  -- closed and the new one opened. (A Neovim that does this itself only repeats it.)
  vim.api.nvim_create_autocmd('BufFilePre', {
    group = group,
    callback = function(args)
      vim.b[args.buf].migsafe_uri = vim.uri_from_bufnr(args.buf)
    end,
  })
  vim.api.nvim_create_autocmd('BufFilePost', {
    group = group,
    callback = function(args)
      local old, new = vim.b[args.buf].migsafe_uri, vim.uri_from_bufnr(args.buf)
      if not old or old == new then
        return
      end
      local text = table.concat(vim.api.nvim_buf_get_lines(args.buf, 0, -1, true), '\n')
      if vim.bo[args.buf].eol then
        text = text .. '\n'
      end
      for _, c in pairs(vim.lsp.buf_get_clients(args.buf)) do
        if c.name == 'migsafe' then
          c.notify('textDocument/didClose', { textDocument = { uri = old } })
          c.notify('textDocument/didOpen', { textDocument = {
            uri = new, languageId = vim.bo[args.buf].filetype,
            version = vim.lsp.util.buf_versions[args.buf] or 0, text = text,
          } })
        end
      end
    end,
  })
  vim.api.nvim_create_user_command('MigsafeRestart', function()
    M.restart(opts)
  end, { desc = 'migsafe: restart the language server of every SQL buffer' })
  vim.api.nvim_create_user_command('MigsafeExplain', function(cmd)
    local rule = cmd.args
    if rule == '' then
      rule = rule_under_cursor()
      if not rule then
        vim.notify('migsafe: no finding under the cursor; :MigsafeExplain RULE-ID (migsafe rules lists them)', vim.log.levels.WARN)
        return
      end
    end
    local out = vim.fn.systemlist({ opts.cmd[1], 'explain', rule })
    if vim.v.shell_error ~= 0 then
      vim.notify(table.concat(out, '\n'), vim.log.levels.ERROR)
      return
    end
    vim.cmd('new')
    vim.api.nvim_buf_set_lines(0, 0, -1, false, out)
    vim.bo.buftype, vim.bo.bufhidden, vim.bo.filetype = 'nofile', 'wipe', 'markdown'
  end, { nargs = '?', desc = 'migsafe: show a rule\'s documentation (default: the diagnostic under the cursor)' })
  return opts
end

return M
