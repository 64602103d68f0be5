--- Entity highlighting for Neovim versions without semantic-token highlighting (0.7, 0.8).
---
--- The plugin asks the server for `textDocument/semanticTokens/full` itself, decodes the tokens
--- with the server's legend and marks each mention with an extmark in the kind's group (see
--- |dossier-colors|), plus one for each modifier. The marks are requested again after every
--- edit (debounced) and when the server asks for a refresh (`workspace/semanticTokens/refresh`,
--- sent after the knowledge base changes; the plugin announces that it handles it).
local colors = require("dossier.colors")

local M = {}

--- Namespace of the marks.
M.ns = vim.api.nvim_create_namespace("dossier_entities")

--- How long after the last change the tokens are requested again, in milliseconds.
M.debounce_ms = 150

---@class dossier.BufState
---@field client_id integer
---@field timer? userdata  pending debounced refresh
---@field inflight boolean a request is under way
---@field again boolean    another refresh was asked for meanwhile
---@field painted? integer[] the tokens the marks show
---@field painted_tick? integer the changedtick they were painted at

---@type table<integer, dossier.BufState>
local buffers = {}

--- Byte column of `index` (in the client's position encoding) on `line`.
---@param line string
---@param index integer
---@param encoding string "utf-8", "utf-16" or "utf-32"
---@return integer
local function byte_col(line, index, encoding)
  if encoding == "utf-8" then
    return math.min(index, #line)
  end
  local ok, col = pcall(vim.str_byteindex, line, index, encoding == "utf-16")
  return ok and col or #line
end

--- Replaces the buffer's marks with the ones of `data` (the flat LSP token array).
---@param bufnr integer
---@param client table the LSP client
---@param data integer[]
local function paint(bufnr, client, data)
  local provider = client.server_capabilities and client.server_capabilities.semanticTokensProvider
  local legend = provider and provider.legend
  if not legend then
    return
  end
  local encoding = client.offset_encoding or "utf-16"
  vim.api.nvim_buf_clear_namespace(bufnr, M.ns, 0, -1)
  local line_count = vim.api.nvim_buf_line_count(bufnr)
  local row, start = 0, 0
  local cache = {}
  for i = 1, #data, 5 do
    local delta_line, delta_start, length, type_index, mods =
      data[i], data[i + 1], data[i + 2], data[i + 3], data[i + 4]
    row = row + delta_line
    start = delta_line == 0 and start + delta_start or delta_start
    if row >= line_count then
      break
    end
    local line = cache[row]
    if not line then
      line = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ""
      cache[row] = line
    end
    local from = byte_col(line, start, encoding)
    local to = byte_col(line, start + length, encoding)
    local kind = legend.tokenTypes[type_index + 1]
    if kind and to > from then
      pcall(vim.api.nvim_buf_set_extmark, bufnr, M.ns, row, from, {
        end_row = row,
        end_col = to,
        hl_group = colors.token_group(kind),
        priority = 125,
      })
      for bit, modifier in ipairs(legend.tokenModifiers or {}) do
        if math.floor(mods / 2 ^ (bit - 1)) % 2 == 1 then
          pcall(vim.api.nvim_buf_set_extmark, bufnr, M.ns, row, from, {
            end_row = row,
            end_col = to,
            hl_group = colors.token_group(modifier, true),
            priority = 126,
          })
        end
      end
    end
  end
end

--- Requests the tokens of a buffer now and paints them; a request asked for while one is
--- under way runs when it is done, and a reply for an older text is asked for again.
---@param bufnr integer
function M.refresh(bufnr)
  local state = buffers[bufnr]
  if not state or not vim.api.nvim_buf_is_loaded(bufnr) then
    return
  end
  if state.inflight then
    state.again = true
    return
  end
  local client = vim.lsp.get_client_by_id(state.client_id)
  if not client then
    return
  end
  state.inflight = true
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
  require("dossier").request(client, "textDocument/semanticTokens/full", params, function(err, result)
    state.inflight = false
    if buffers[bufnr] ~= state or not vim.api.nvim_buf_is_loaded(bufnr) then
      return
    end
    if not err and result and result.data then
      if vim.api.nvim_buf_get_changedtick(bufnr) == tick then
        -- Unchanged tokens for an unchanged text: the marks are right already.
        if not (state.painted_tick == tick and vim.deep_equal(state.painted, result.data)) then
          paint(bufnr, client, result.data)
          state.painted, state.painted_tick = result.data, tick
        end
      else
        state.again = true
      end
    end
    if state.again then
      state.again = false
      M.schedule(bufnr)
    end
  end, bufnr)
end

--- Refreshes a buffer after `M.debounce_ms` without changes.
---@param bufnr integer
function M.schedule(bufnr)
  local state = buffers[bufnr]
  if not state then
    return
  end
  if state.timer then
    state.timer:stop()
    state.timer:close()
  end
  local timer = (vim.uv or vim.loop).new_timer()
  state.timer = timer
  timer:start(
    M.debounce_ms,
    0,
    vim.schedule_wrap(function()
      if state.timer == timer then
        state.timer = nil
        timer:close()
        M.refresh(bufnr)
      end
    end)
  )
end

--- Refreshes every buffer a client serves (its `workspace/semanticTokens/refresh`).
---@param client_id integer
function M.refresh_client(client_id)
  for bufnr, state in pairs(buffers) do
    if state.client_id == client_id then
      M.schedule(bufnr)
    end
  end
end

--- Starts highlighting a buffer served by `client`.
---@param client table
---@param bufnr integer
function M.attach(client, bufnr)
  if buffers[bufnr] then
    buffers[bufnr].client_id = client.id
    M.refresh(bufnr)
    return
  end
  local state = { client_id = client.id, inflight = false, again = false }
  buffers[bufnr] = state
  vim.api.nvim_buf_attach(bufnr, false, {
    on_lines = function()
      if buffers[bufnr] ~= state then
        return true -- detach
      end
      M.schedule(bufnr)
    end,
    on_reload = function()
      M.schedule(bufnr)
    end,
    on_detach = function()
      M.detach(bufnr)
    end,
  })
  M.refresh(bufnr)
end

--- Stops highlighting a buffer and removes its marks.
---@param bufnr integer
function M.detach(bufnr)
  local state = buffers[bufnr]
  buffers[bufnr] = nil
  if state and state.timer then
    state.timer:stop()
    state.timer:close()
  end
  if vim.api.nvim_buf_is_valid(bufnr) then
    vim.api.nvim_buf_clear_namespace(bufnr, M.ns, 0, -1)
  end
end

--- Whether a buffer is highlighted by this module.
---@param bufnr integer
---@return boolean
function M.is_attached(bufnr)
  return buffers[bufnr] ~= nil
end

return M
