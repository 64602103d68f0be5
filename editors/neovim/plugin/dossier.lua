-- Dossier: loaded from the runtimepath at startup. Defines the entity colours (so a plain
-- `vim.lsp.enable("dossier")` on 0.11 shows them too) and the user commands. Starting the
-- server is `require("dossier").setup()` or, on 0.11, `vim.lsp.enable("dossier")`.
if vim.g.loaded_dossier then
  return
end
vim.g.loaded_dossier = true

require("dossier.colors").setup(require("dossier").options.colors)

-- The last file buffer entered, for `:checkhealth dossier` (which runs in a buffer of its own).
vim.api.nvim_create_autocmd("BufEnter", {
  group = vim.api.nvim_create_augroup("dossier.health", { clear = true }),
  callback = function(args)
    if vim.bo[args.buf].buftype == "" and vim.api.nvim_buf_get_name(args.buf) ~= "" then
      vim.g.dossier_last_buffer = args.buf
    end
  end,
})

vim.api.nvim_create_user_command("DossierInfo", function()
  local dossier = require("dossier")
  local lines = {}
  local root = dossier.root(0)
  lines[#lines + 1] = "corpus of this buffer: " .. (root or "none (no dossier.toml above it)")
  for _, client in ipairs(dossier.clients()) do
    local attached = vim.lsp.buf_is_attached(0, client.id) and ", this buffer attached" or ""
    lines[#lines + 1] = ("client %d: root %s%s"):format(client.id, client.config.root_dir or "?", attached)
  end
  if #dossier.clients() == 0 then
    lines[#lines + 1] = "no Dossier client running"
  end
  lines[#lines + 1] = "display: " .. tostring(dossier.options.display)
    .. (dossier.has.semantic_tokens and " (Neovim's semantic tokens)" or " (the plugin's extmarks)")
  vim.notify(table.concat(lines, "\n"), vim.log.levels.INFO)
end, { desc = "Dossier: corpus, clients and display of this buffer" })

vim.api.nvim_create_user_command("DossierRestart", function()
  require("dossier").restart()
end, { desc = "Dossier: restart the language server(s)" })
