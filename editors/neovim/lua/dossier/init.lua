--- Dossier for Neovim 0.7 to 0.11: starts `dossier lsp` for the articles and knowledge-base
--- files of a corpus (a folder with a `dossier.toml`), makes entities visible on every version,
--- and maps `gd` to go to an entity's definition. See |dossier.txt|.
---
--- ```lua
--- require("dossier").setup()            -- `dossier` on PATH, every default
--- require("dossier").setup({ cmd = { "/path/to/dossier", "lsp" }, keymaps = false })
--- ```
local colors = require("dossier.colors")

local M = {}

---@class dossier.Options
---@field cmd? string[]                    the server command (default `{ "dossier", "lsp" }`)
---@field filetypes? string[]              buffers served (default text, markdown, toml)
---@field display? "semanticTokens"|"inlayHints"|"diagnostics"  how the server shows entities
---@field candidateSeverity? "hint"|"information"|"warning"|"off"  names the knowledge base lacks
---@field keymaps? boolean                 buffer-local keys (`gd`, and on 0.7-0.10 the 0.11 LSP keys)
---@field save_edits? boolean              write the knowledge-base file after a tagging action
---@field colors? table<string, dossier.HighlightSpec>  per kind or modifier, e.g. `{ person = { fg = "#ff0000" } }`
---@field on_attach? fun(client: table, bufnr: integer)  called after the plugin's own attach

---@type dossier.Options
M.defaults = {
  cmd = { "dossier", "lsp" },
  filetypes = { "text", "markdown", "toml" },
  display = "semanticTokens",
  candidateSeverity = "hint",
  keymaps = true,
  save_edits = true,
  colors = {},
  on_attach = nil,
}

--- The options in force (the defaults until `setup()`).
---@type dossier.Options
M.options = vim.deepcopy(M.defaults)

--- What this Neovim can do, as the plugin uses it.
M.has = {
  --- `vim.lsp.config` / `vim.lsp.enable` (0.11)
  enable = vim.lsp.config ~= nil and vim.lsp.enable ~= nil,
  --- `vim.lsp.start` (0.8)
  start = vim.lsp.start ~= nil,
  --- built-in semantic-token highlighting (0.9)
  semantic_tokens = vim.lsp.semantic_tokens ~= nil,
  --- default `K`, `]d`, `[d` (0.10)
  default_k = vim.fn.has("nvim-0.10") == 1,
  --- default `grr`, `gra`, `gO`, … (0.11)
  default_gr = vim.fn.has("nvim-0.11") == 1,
  --- `tagfunc`/`omnifunc` set on attach (0.8)
  default_funcs = vim.fn.has("nvim-0.8") == 1,
}

local uv = vim.uv or vim.loop

--- Sends a request from `client`: `client:request()` on 0.11 (`client.request()` is deprecated
--- there), `client.request()` before (a plain function, not a method).
---@param client table
---@param method string
---@param params table
---@param handler function
---@param bufnr integer
function M.request(client, method, params, handler, bufnr)
  if vim.fn.has("nvim-0.11") == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- The corpus root for a buffer: the nearest folder at or above its file holding a
--- `dossier.toml`. Nil for unnamed buffers, special buffers ('buftype'), and names that are
--- URLs (`fugitive://…`), so those never start a client.
---@param bufnr? integer
---@return string?
function M.root(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= "" then
    return nil
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" or name:match("^%a[%w+.-]*://") then
    return nil
  end
  local dir = vim.fn.fnamemodify(name, ":p:h")
  while dir and dir ~= "" do
    if uv.fs_stat(dir .. "/dossier.toml") then
      return dir
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      break
    end
    dir = parent
  end
  return nil
end

--- Maps one buffer-local key.
---@param bufnr integer
---@param mode string|string[]
---@param lhs string
---@param rhs string|function
---@param desc string
local function map(bufnr, mode, lhs, rhs, desc)
  vim.keymap.set(mode, lhs, rhs, { buffer = bufnr, silent = true, desc = "Dossier: " .. desc })
end

--- The plugin's keys in an attached buffer: `gd` in articles, and on versions before 0.11 the
--- keys 0.11 has by default, so one set of keys works everywhere.
---@param bufnr integer
function M.set_keymaps(bufnr)
  local lsp = vim.lsp.buf
  if vim.bo[bufnr].filetype ~= "toml" then
    map(bufnr, "n", "gd", lsp.definition, "go to the entity's definition")
  end
  if not M.has.default_gr then
    map(bufnr, "n", "grr", lsp.references, "every mention of the entity")
    map(bufnr, "n", "gra", lsp.code_action, "tag, untag or settle a mention")
    if lsp.range_code_action and vim.fn.has("nvim-0.9") == 0 then
      -- 0.7, 0.8: code_action() may ignore the selection; range_code_action() reads '< '>.
      map(bufnr, "x", "gra", "<Esc><Cmd>lua vim.lsp.buf.range_code_action()<CR>", "tag the selection")
    else
      map(bufnr, "x", "gra", lsp.code_action, "tag the selection")
    end
    map(bufnr, "n", "gO", lsp.document_symbol, "the entities of this article")
  end
  if not M.has.default_k then
    map(bufnr, "n", "K", lsp.hover, "the entity's card")
    map(bufnr, "n", "]d", vim.diagnostic.goto_next, "next diagnostic")
    map(bufnr, "n", "[d", vim.diagnostic.goto_prev, "previous diagnostic")
  end
end

--- Called for every buffer a Dossier client attaches to.
---@param client table
---@param bufnr integer
function M.on_attach(client, bufnr)
  if not M.has.default_funcs then
    -- 0.7 does not set it: CTRL-] goes to the definition through it.
    vim.bo[bufnr].tagfunc = "v:lua.vim.lsp.tagfunc"
  end
  -- CTRL-X CTRL-O inserts whole names (see |dossier-completion|).
  vim.bo[bufnr].omnifunc = "v:lua.require'dossier.complete'.omnifunc"
  if not M.has.semantic_tokens and M.options.display == "semanticTokens" then
    require("dossier.highlighter").attach(client, bufnr)
  end
  if M.options.display == "inlayHints" and vim.lsp.inlay_hint then
    pcall(vim.lsp.inlay_hint.enable, true, { bufnr = bufnr })
  end
  if M.options.keymaps then
    M.set_keymaps(bufnr)
  end
  if M.options.on_attach then
    M.options.on_attach(client, bufnr)
  end
end

--- The files a workspace edit changes.
---@param edit table WorkspaceEdit
---@return string[] uris
local function edited_uris(edit)
  local uris = {}
  for uri in pairs(edit.changes or {}) do
    uris[#uris + 1] = uri
  end
  for _, change in ipairs(edit.documentChanges or {}) do
    if change.textDocument then
      uris[#uris + 1] = change.textDocument.uri
    end
  end
  return uris
end

--- `workspace/applyEdit` (what tagging sends): applied as usual, then the knowledge-base file
--- is written (`save_edits`), or the user is told it is unsaved.
---@return table
local function apply_edit(err, params, ctx, config)
  local result = vim.lsp.handlers["workspace/applyEdit"](err, params, ctx, config)
  if not (params and params.edit and result and result.applied) then
    return result
  end
  local names = {}
  for _, uri in ipairs(edited_uris(params.edit)) do
    local bufnr = vim.uri_to_bufnr(uri)
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.bo[bufnr].modified then
      local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":~:.")
      if M.options.save_edits then
        local ok, why = pcall(vim.api.nvim_buf_call, bufnr, function()
          vim.cmd("silent update")
        end)
        names[#names + 1] = ok and (name .. " written") or (name .. " NOT written: " .. tostring(why))
      else
        names[#names + 1] = name .. " changed, unsaved (:wa to keep it, u in it to undo)"
      end
    end
  end
  if #names > 0 then
    local title = params.label and (params.label .. ": ") or ""
    vim.schedule(function()
      vim.notify("Dossier: " .. title .. table.concat(names, "; "), vim.log.levels.INFO)
    end)
  end
  return result
end

--- The client configuration: what `lsp/dossier.lua` returns for `vim.lsp.config` (0.11), and
--- what `vim.lsp.start`/`start_client` are given on older versions (with `root_dir` set).
---@return table
function M.lsp_config()
  local o = M.options
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  local handlers = { ["workspace/applyEdit"] = apply_edit }
  if not M.has.semantic_tokens then
    -- The plugin's highlighter answers the server's refresh requests.
    capabilities.workspace = capabilities.workspace or {}
    capabilities.workspace.semanticTokens = { refreshSupport = true }
    handlers["workspace/semanticTokens/refresh"] = function(_, _, ctx)
      require("dossier.highlighter").refresh_client(ctx.client_id)
      return vim.NIL
    end
  end
  return {
    name = "dossier",
    cmd = o.cmd,
    filetypes = o.filetypes,
    root_markers = { "dossier.toml" },
    --- 0.11: only named files under a corpus get a client.
    root_dir = function(bufnr, on_dir)
      local root = M.root(bufnr)
      if root then
        on_dir(root)
      end
    end,
    init_options = { display = o.display, candidateSeverity = o.candidateSeverity },
    capabilities = capabilities,
    handlers = handlers,
    on_attach = M.on_attach,
  }
end

--- Client ids by corpus root, for 0.7 (no `vim.lsp.start` to reuse clients).
---@type table<string, integer>
local clients_by_root = {}

--- Starts (or reuses) the client for a buffer's corpus and attaches the buffer; nothing for a
--- buffer outside any corpus. 0.11 uses `vim.lsp.start` with the resolved `vim.lsp.config`.
---@param bufnr? integer
---@return integer? client_id
function M.start(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not vim.tbl_contains(M.options.filetypes, vim.bo[bufnr].filetype) then
    return nil
  end
  local root = M.root(bufnr)
  if not root then
    return nil
  end
  local config = M.has.enable and vim.deepcopy(vim.lsp.config.dossier) or M.lsp_config()
  config.root_dir = root
  config.root_markers = nil
  config.filetypes = nil
  if M.has.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients_by_root[root]
  if not (id and vim.lsp.get_client_by_id(id)) then
    config.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
    id = vim.lsp.start_client(config)
    if not id then
      return nil
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- The Dossier clients running now, or those attached to `bufnr`. (0.7's
--- `get_active_clients()` takes no filter, so the filtering is done here.)
---@param bufnr? integer
---@return table[]
function M.clients(bufnr)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local out = {}
  for _, client in ipairs(get()) do
    if client.name == "dossier" and (bufnr == nil or vim.lsp.buf_is_attached(bufnr, client.id)) then
      out[#out + 1] = client
    end
  end
  return out
end

--- Starts Dossier for every loaded buffer that should have it (after setup or a restart).
function M.start_all()
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      M.start(bufnr)
    end
  end
end

--- Stops every Dossier client and starts them again for the loaded buffers.
function M.restart()
  local clients = M.clients()
  for _, client in ipairs(clients) do
    if vim.fn.has("nvim-0.11") == 1 then
      client:stop()
    else
      client.stop()
    end
  end
  local function again(tries)
    if #M.clients() == 0 or tries == 0 then
      M.start_all()
    else
      vim.defer_fn(function()
        again(tries - 1)
      end, 100)
    end
  end
  again(50)
end

--- Sets the plugin up. Every option is optional; see |dossier-options|.
---@param opts? dossier.Options
function M.setup(opts)
  M.options = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts or {})
  if opts and opts.cmd then
    M.options.cmd = opts.cmd -- a list, not merged index by index
  end
  if opts and opts.filetypes then
    M.options.filetypes = opts.filetypes
  end
  colors.setup(M.options.colors)
  if M.has.enable then
    vim.lsp.config("dossier", M.lsp_config())
    vim.lsp.enable("dossier")
    return
  end
  local group = vim.api.nvim_create_augroup("dossier.start", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = M.options.filetypes,
    callback = function(args)
      M.start(args.buf)
    end,
  })
  M.start_all()
end

return M
