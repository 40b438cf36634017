-- migsafe for Neovim 0.7+ without plugins:
--   require('migsafe').setup({ cmd = { 'migsafe', 'lsp' }, settings = { pgVersion = 15 } })
-- Put this file on 'runtimepath' as lua/migsafe.lua (or :luafile it and call
-- setup). It starts one `migsafe lsp` per project root (the directory holding
-- migsafe.toml or .git) and attaches it to SQL buffers.
local M = {}

local defaults = {
  cmd = { 'migsafe', 'lsp' },
  filetypes = { 'sql', 'pgsql', 'postgres' },
  root_markers = { 'migsafe.toml', '.git' },
  -- Sent as initializationOptions: pgVersion, runner, tables, migrationGlobs;
  -- migsafe.toml wins where both speak.
  settings = {},
}

local clients = {} -- root -> client id

local function find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while true do
    for _, m in ipairs(markers) do
      if vim.loop.fs_stat(dir .. '/' .. m) then return dir end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then return vim.fn.fnamemodify(path, ':p:h') end
    dir = parent
  end
end

function M.attach(bufnr, opts)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == '' then return end
  local root = find_root(path, opts.root_markers)
  local id = clients[root]
  if not id or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client({
      name = 'migsafe',
      cmd = opts.cmd,
      root_dir = root,
      init_options = { migsafe = opts.settings },
      settings = { migsafe = opts.settings },
      on_init = function(client)
        client.notify('workspace/didChangeConfiguration', { settings = { migsafe = opts.settings } })
      end,
    })
    clients[root] = id
  end
  if id then vim.lsp.buf_attach_client(bufnr, id) end
end

function M.setup(user)
  local opts = vim.tbl_deep_extend('force', defaults, user or {})
  local group = vim.api.nvim_create_augroup('migsafe', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = opts.filetypes,
    callback = function(args) M.attach(args.buf, opts) end,
  })
  -- Reload the configuration when migsafe.toml is saved from this editor.
  vim.api.nvim_create_autocmd('BufWritePost', {
    group = group,
    pattern = 'migsafe.toml',
    callback = function(args)
      local uri = vim.uri_from_fname(vim.api.nvim_buf_get_name(args.buf))
      for _, id in pairs(clients) do
        local c = vim.lsp.get_client_by_id(id)
        if c then c.notify('workspace/didChangeWatchedFiles', { changes = { { uri = uri, type = 2 } } }) end
      end
    end,
  })
end

return M
