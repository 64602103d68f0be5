-- The Dossier server for Neovim 0.11's `vim.lsp.config` / `vim.lsp.enable("dossier")`: `cmd`,
-- `filetypes`, `root_markers = { "dossier.toml" }` and a `root_dir` that gives no client to
-- unnamed buffers or files outside a corpus. Options set by `require("dossier").setup()` apply.
return require("dossier").lsp_config()
