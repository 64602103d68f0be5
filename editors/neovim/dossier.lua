-- Kept for configurations that `dofile()` this file (the set-up before the plugin layout): it
-- puts this folder on the runtimepath and calls `require("dossier").setup()`. New set-ups load
-- the folder as a plugin instead: see README.md here.
local dir = debug.getinfo(1, "S").source:sub(2):match("(.*)[/\\]") or "."
vim.opt.runtimepath:prepend(dir)
vim.cmd("runtime plugin/dossier.lua")
require("dossier").setup()
