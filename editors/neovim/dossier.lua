-- Dossier for Neovim (0.9 or newer). Put this file on your runtimepath (e.g. in
-- ~/.config/nvim/plugin/) or `dofile()` it from init.lua.
--
-- Starts `dossier lsp` for text, Markdown and TOML buffers that live under a folder holding a
-- dossier.toml, and links the entity token types to highlight groups.

local kinds = {
  person = "@type",
  organization = "@constructor",
  place = "@string.special",
  initiative = "@function",
  event = "@keyword",
  product = "@constant",
}
for kind, group in pairs(kinds) do
  vim.api.nvim_set_hl(0, "@lsp.type." .. kind, { link = group, default = true })
end
vim.api.nvim_set_hl(0, "@lsp.mod.ambiguous", { undercurl = true, default = true })
vim.api.nvim_set_hl(0, "@lsp.mod.weak", { italic = true, default = true })

vim.api.nvim_create_autocmd("FileType", {
  pattern = { "text", "markdown", "toml" },
  callback = function(args)
    local file = vim.api.nvim_buf_get_name(args.buf)
    local marker = vim.fs.find("dossier.toml", { upward = true, path = vim.fs.dirname(file) })[1]
    if not marker then
      return
    end
    vim.lsp.start({
      name = "dossier",
      cmd = { "dossier", "lsp" },
      root_dir = vim.fs.dirname(marker),
      init_options = { display = "semanticTokens", candidateSeverity = "hint" },
    }, { bufnr = args.buf })
  end,
})
