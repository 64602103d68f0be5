--- `:checkhealth dossier`: the server binary and its version, the corpus of the current
--- buffer, the Neovim version and what the plugin uses on it.
local M = {}

local health = vim.health or require("health")
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local err = health.error or health.report_error
local info = health.info or health.report_info

function M.check()
  local dossier = require("dossier")
  local has = dossier.has

  start("Dossier server")
  local cmd = dossier.options.cmd or { "dossier", "lsp" }
  local exe = cmd[1]
  if vim.fn.executable(exe) ~= 1 then
    err(("`%s` not found or not executable"):format(exe), {
      "Install it: `cargo install --path .` in the Dossier repository puts `dossier` on PATH",
      'or give its path: require("dossier").setup({ cmd = { "/path/to/dossier", "lsp" } })',
    })
  else
    local out = vim.fn.system({ exe, "--version" })
    if vim.v.shell_error == 0 then
      ok(("`%s` found (%s): %s"):format(exe, vim.fn.exepath(exe), vim.trim(out)))
    else
      warn(("`%s --version` failed: %s"):format(exe, vim.trim(out)))
    end
  end

  start("Corpus")
  local bufnr = vim.g.dossier_last_buffer
  if bufnr and vim.api.nvim_buf_is_valid(bufnr) then
    local name = vim.api.nvim_buf_get_name(bufnr)
    local root = dossier.root(bufnr)
    if root then
      ok(("%s is in the corpus %s"):format(vim.fn.fnamemodify(name, ":~:."), root))
      local attached = false
      for _, client in ipairs(dossier.clients(bufnr)) do
        attached = true
        ok(("client %d serves it (root %s)"):format(client.id, tostring(client.config.root_dir)))
      end
      if not attached then
        warn("no Dossier client attached to it", {
          'call require("dossier").setup() (or, on 0.11, vim.lsp.enable("dossier"))',
          "its filetype must be one of: " .. table.concat(dossier.options.filetypes, ", "),
        })
      end
    else
      info(("%s is in no corpus (no dossier.toml at or above it): no client for it"):format(
        name ~= "" and vim.fn.fnamemodify(name, ":~:.") or "[No Name]"
      ))
    end
  else
    info("no file buffer visited yet")
  end

  start("Neovim")
  local v = vim.version()
  local version = ("%d.%d.%d"):format(v.major, v.minor, v.patch)
  if vim.fn.has("nvim-0.7") ~= 1 then
    err("Neovim " .. version .. " is too old: Dossier needs 0.7 or newer")
    return
  end
  ok("Neovim " .. version)
  info(
    has.enable and "starts the server with vim.lsp.config/vim.lsp.enable"
      or has.start and "starts the server with vim.lsp.start"
      or "starts the server with vim.lsp.start_client and buf_attach_client"
  )
  info(
    has.semantic_tokens and "entities are highlighted by Neovim's semantic tokens (@lsp.type.*)"
      or "entities are highlighted by the plugin's extmarks (no semantic tokens in this Neovim)"
  )
  info(
    has.default_gr and "LSP keys: Neovim's defaults (K, grr, gra, gO, ]d, CTRL-]) and the plugin's gd"
      or "LSP keys: the plugin maps K, grr, gra, gO, ]d like 0.11, and gd"
  )
  local colors = require("dossier.colors")
  local missing = {}
  for _, kind in ipairs(colors.kinds) do
    local hl = vim.api.nvim_get_hl_by_name(colors.group(kind), true)
    if not hl.foreground then
      missing[#missing + 1] = colors.group(kind)
    end
  end
  if #missing == 0 then
    ok("entity colours defined (Dossier* groups)")
  else
    warn("no GUI colour for " .. table.concat(missing, ", "))
  end
end

return M
