--- The 'omnifunc' of Dossier buffers (CTRL-X CTRL-O): completes entity names as whole names.
---
--- Neovim's own `vim.lsp.omnifunc` inserts only the first word of an edit on 0.11 (`Met Rod`
--- gives `Met Rodrigo`), and on 0.7 replaces only the last word (`Lim G` gives `Lim Lim Guan
--- Eng`). This one inserts each item's `textEdit.newText` over the item's own range, the
--- server's prefix (`Lim G`), so the line reads `Lim Guan Eng`.
local M = {}

--- Byte column of an LSP `character` on `line`.
---@param line string
---@param character integer
---@param encoding string
---@return integer
local function byte_col(line, character, encoding)
  if encoding == "utf-8" then
    return math.min(character, #line)
  end
  if vim.fn.has("nvim-0.11") == 1 then
    local ok, col = pcall(vim.str_byteindex, line, encoding, character, false)
    return ok and col or #line
  end
  local ok, col = pcall(vim.str_byteindex, line, character, encoding == "utf-16")
  return ok and col or #line
end

--- The text of an item's documentation.
---@param doc any
---@return string
local function doc_text(doc)
  if type(doc) == "table" then
    return doc.value or ""
  end
  return type(doc) == "string" and doc or ""
end

--- Shows the menu for a completion answer, if the cursor is still where it was asked.
---@param result table CompletionList or CompletionItem[]
---@param client table
---@param row integer 0-based
---@param cursor_col integer byte column of the cursor
local function show(result, client, row, cursor_col)
  local mode = vim.api.nvim_get_mode().mode
  if mode:sub(1, 1) ~= "i" or vim.api.nvim_win_get_cursor(0)[1] - 1 ~= row then
    return
  end
  local items = result.items or result
  local line = vim.api.nvim_get_current_line()
  local encoding = client.offset_encoding or "utf-16"
  local keyword_start = vim.fn.match(line:sub(1, cursor_col), "\\k*$")
  -- Each item's start, and the earliest one: the menu's start for all.
  local starts, start = {}, cursor_col
  for i, item in ipairs(items) do
    local edit = item.textEdit
    local range = edit and (edit.range or edit.replace)
    local s = range and range.start.line == row and byte_col(line, range.start.character, encoding) or keyword_start
    starts[i] = s
    start = math.min(start, s)
  end
  local matches = {}
  for i, item in ipairs(items) do
    local text = item.textEdit and item.textEdit.newText or item.insertText or item.label
    matches[#matches + 1] = {
      word = line:sub(start + 1, starts[i]) .. text,
      abbr = item.label,
      menu = item.detail or "",
      info = doc_text(item.documentation),
      icase = 1,
      dup = 1,
    }
  end
  vim.fn.complete(start + 1, matches)
end

--- The omnifunc: asks the server and answers with -2 at once; the menu opens on the reply.
---@param findstart integer
---@param _ string base
---@return integer|table
function M.omnifunc(findstart, _)
  if findstart ~= 1 then
    return {}
  end
  local bufnr = vim.api.nvim_get_current_buf()
  local client = require("dossier").clients(bufnr)[1]
  if not client then
    return -3
  end
  local cursor = vim.api.nvim_win_get_cursor(0)
  local row, col = cursor[1] - 1, cursor[2]
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding or "utf-16")
  require("dossier").request(client, "textDocument/completion", params, function(err, result)
    if err or not result then
      return
    end
    show(result, client, row, col)
  end, bufnr)
  return -2
end

return M
