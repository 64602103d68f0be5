-- End-to-end checks of the Dossier plugin in a real, headless Neovim (0.7 to 0.11), driven by
-- tests/editor_neovim.rs. The plugin is on the runtimepath and `require("dossier").setup()` ran
-- in init.lua, as a user's config does; `dossier` is on PATH.
--
-- Every check runs in a coroutine that gives the main loop back while it waits (so keys fed
-- with nvim_feedkeys are typed, and LSP replies arrive), every wait is bounded, and every check
-- is wrapped in pcall. Results go to $DOSSIER_E2E_OUT as JSON:
--   { version = "0.11.4", checks = { { name = ..., ok = true|false, detail = ... }, ... } }
-- then Neovim quits. A watchdog writes what there is and quits if the whole run hangs.

local corpus = assert(os.getenv("DOSSIER_E2E_CORPUS"), "DOSSIER_E2E_CORPUS")
local out_path = assert(os.getenv("DOSSIER_E2E_OUT"), "DOSSIER_E2E_OUT")
local outside = assert(os.getenv("DOSSIER_E2E_OUTSIDE"), "DOSSIER_E2E_OUTSIDE")
local uv = vim.uv or vim.loop
-- "plain": init.lua only ran `vim.lsp.enable("dossier")` (0.11), so the checks of set-up,
-- highlighting and keys run, not the whole suite.
local plain = os.getenv("DOSSIER_E2E_MODE") == "plain"

local v = vim.version()
local results = { version = ("%d.%d.%d"):format(v.major, v.minor, v.patch), checks = {} }
local native_tokens = vim.lsp.semantic_tokens ~= nil
local finished = false

local function finish()
  if finished then
    return
  end
  finished = true
  results.messages = vim.fn.execute("messages")
  local f = assert(io.open(out_path, "w"))
  f:write(vim.fn.json_encode(results))
  f:close()
  vim.cmd("qa!")
end

-- Watchdog: a run that hangs still reports (the Rust side also runs Neovim under `timeout`).
vim.defer_fn(function()
  table.insert(results.checks, { name = "watchdog", ok = false, detail = "the run took over 150 s" })
  finish()
end, 150000)

--- Gives the main loop back for `ms` milliseconds.
local function sleep(ms)
  local co = coroutine.running()
  vim.defer_fn(function()
    coroutine.resume(co)
  end, ms)
  coroutine.yield()
end

--- Waits until `cond()` is truthy, at most `timeout` ms; returns its last value.
local function wait(timeout, cond)
  local deadline = uv.now() + timeout
  while true do
    uv.update_time()
    local ok, value = pcall(cond)
    if ok and value then
      return value
    end
    if uv.now() >= deadline then
      return nil
    end
    sleep(25)
  end
end

--- Types keys as a user does (mappings apply).
local function feed(keys)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(keys, true, false, true), "m", false)
end

--- Runs one check; `fn` returns ok, detail (or raises).
local function check(name, fn)
  local ok, passed, detail = pcall(fn)
  if not ok then
    passed, detail = false, "error: " .. tostring(passed)
  end
  table.insert(results.checks, { name = name, ok = passed and true or false, detail = detail and tostring(detail) or "" })
end

local function realpath(p)
  return uv.fs_realpath(p) or p
end

--- Dossier clients, all or attached to `bufnr` (filtered here: 0.7 takes no filter).
local function clients(bufnr)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local out = {}
  for _, c in ipairs(get()) do
    if c.name == "dossier" and (bufnr == nil or vim.lsp.buf_is_attached(bufnr, c.id)) then
      out[#out + 1] = c
    end
  end
  return out
end

--- 0-based row and byte column of the first `text` in a buffer.
local function find(bufnr, text)
  for row, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = line:find(text, 1, true)
    if col then
      return row - 1, col - 1
    end
  end
  error(("%q not found in buffer %d"):format(text, bufnr))
end

--- The highlight of the entity at a position: { kind, group, modifiers } or nil.
local function entity_at(bufnr, row, col)
  if native_tokens then
    for _, token in ipairs(vim.lsp.semantic_tokens.get_at_pos(bufnr, row, col) or {}) do
      if token.start_col == col then
        local mods = {}
        for mod in pairs(token.modifiers or {}) do
          mods[#mods + 1] = mod
        end
        table.sort(mods)
        return { kind = token.type, group = "@lsp.type." .. token.type, modifiers = mods, end_col = token.end_col }
      end
    end
    return nil
  end
  local ns = require("dossier.highlighter").ns
  local found
  for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(bufnr, ns, { row, col }, { row, col }, { details = true })) do
    local group = mark[4].hl_group
    local kind = group:match("^Dossier(%u%l+)$") or group:match("^@lsp%.type%.(%l+)$")
    if kind and (mark[4].priority or 0) == 125 then
      found = found or { kind = kind:lower(), group = group, modifiers = {}, end_col = mark[4].end_col }
    end
  end
  if found then
    for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(bufnr, ns, { row, col }, { row, col }, { details = true })) do
      local mod = mark[4].hl_group:match("^Dossier(%u%l+)$") or mark[4].hl_group:match("^@lsp%.mod%.(%l+)$")
      if mod and (mark[4].priority or 0) == 126 then
        found.modifiers[#found.modifiers + 1] = mod:lower()
      end
    end
  end
  return found
end

--- The resolved foreground of a group in `mode` ("gui": "#rrggbb", "cterm": a number), or "".
local function fg_of(group, mode)
  return vim.fn.synIDattr(vim.fn.synIDtrans(vim.fn.hlID(group)), "fg#", mode)
end

--- Lines of every floating window.
local function float_text()
  local text = {}
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      local buf = vim.api.nvim_win_get_buf(win)
      text[#text + 1] = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
    end
  end
  return table.concat(text, "\n")
end

local function close_floats()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      pcall(vim.api.nvim_win_close, win, true)
    end
  end
end

local article = corpus .. "/000_3f504db1f4b0c96a.txt"
local other = corpus .. "/001_85a5e73d3e219214.txt"
local kb_file = corpus .. "/entities.toml"

--- Opening an article: the client, its root, the highlights and their colours.
local function basics()
  vim.cmd("edit " .. vim.fn.fnameescape(article))
  local buf = vim.api.nvim_get_current_buf()

  check("the client attaches with the corpus root", function()
    local c = wait(15000, function()
      return clients(buf)[1]
    end)
    if not c then
      return false, "no dossier client attached to " .. article
    end
    local root = c.config.root_dir
    return realpath(root) == realpath(corpus), "root_dir = " .. tostring(root)
  end)

  local seen = {}
  for _, case in ipairs({
    { "Jack Ma", "person" },
    { "Alibaba", "organization" },
    { "Philippines", "place" },
  }) do
    local name, kind = case[1], case[2]
    check(("%s is highlighted as %s"):format(name, kind), function()
      local row, col = find(buf, name)
      local e = wait(15000, function()
        return entity_at(buf, row, col)
      end)
      if not e then
        return false, ("no entity highlight at %d:%d (%s)"):format(row, col, native_tokens and "semantic tokens" or "extmarks")
      end
      seen[kind] = e.group
      return e.kind == kind, ("kind %s, group %s, %s"):format(e.kind, e.group, native_tokens and "semantic token" or "plugin extmark")
    end)
  end

  check("the headline's short form «Ma» is Jack Ma, weak, in italic", function()
    local row, col = find(buf, "'s Ma")
    col = col + 3
    local e = wait(5000, function()
      return entity_at(buf, row, col)
    end)
    if not e then
      return false, "no highlight on the headline's Ma"
    end
    local weak = vim.tbl_contains(e.modifiers, "weak")
    local group = require("dossier.colors").token_group("weak", true)
    local italic = vim.fn.synIDattr(vim.fn.synIDtrans(vim.fn.hlID(group)), "italic", "gui") == "1"
    return e.kind == "person" and weak and italic,
      ("kind %s, modifiers {%s}, %s italic: %s"):format(e.kind, table.concat(e.modifiers, ","), group, tostring(italic))
  end)

  check("weak and ambiguous mentions look different (italic, undercurl)", function()
    local colors = require("dossier.colors")
    local function attr(name, what)
      local group = colors.token_group(name, true)
      return vim.fn.synIDattr(vim.fn.synIDtrans(vim.fn.hlID(group)), what, "gui") == "1"
    end
    local weak = attr("weak", "italic") and not attr("weak", "undercurl")
    local ambiguous = attr("ambiguous", "undercurl") and not attr("ambiguous", "italic")
    return weak and ambiguous, ("weak italic only: %s, ambiguous undercurl only: %s"):format(tostring(weak), tostring(ambiguous))
  end)

  --- The six kinds' colours, GUI and 256-colour, each set, unlike Normal's, and unlike each other.
  local function colours_distinct(label)
    local parts = {}
    for _, mode in ipairs({ "gui", "cterm" }) do
      local normal = fg_of("Normal", mode)
      local used = {}
      parts[#parts + 1] = ("%s Normal=%s"):format(mode, normal)
      for _, kind in ipairs({ "person", "organization", "place", "initiative", "event", "product" }) do
        local group = require("dossier.colors").token_group(kind)
        local fg = fg_of(group, mode):lower()
        parts[#parts + 1] = ("%s=%s"):format(kind, fg)
        if fg == "" then
          return false, ("%s: no %s colour for %s"):format(label, mode, group)
        end
        if fg == normal:lower() then
          return false, ("%s: %s has Normal's %s colour %s"):format(label, group, mode, fg)
        end
        if used[fg] then
          return false, ("%s: %s and %s share %s"):format(label, group, used[fg], fg)
        end
        used[fg] = group
      end
    end
    return true, label .. ": " .. table.concat(parts, " ")
  end

  check("the groups of the highlighted kinds are the plugin's", function()
    for kind, group in pairs(seen) do
      if group ~= require("dossier.colors").token_group(kind) then
        return false, kind .. " used " .. group
      end
    end
    return next(seen) ~= nil, vim.inspect(seen)
  end)

  check("colours are distinct from Normal and each other (dark)", function()
    vim.o.background = "dark"
    sleep(50)
    return colours_distinct("dark")
  end)
  check("colours are distinct from Normal and each other (light)", function()
    vim.o.background = "light"
    sleep(50)
    local ok, detail = colours_distinct("light")
    vim.o.background = "dark"
    sleep(50)
    return ok, detail
  end)
  check("colours survive :colorscheme", function()
    vim.cmd("colorscheme default")
    sleep(50)
    return colours_distinct("after colorscheme")
  end)

  local jrow, jcol = find(buf, "Jack Ma")

  if plain then
    -- `vim.lsp.enable("dossier")` alone: the config comes from lsp/dossier.lua.
    check("lsp/dossier.lua is the vim.lsp.config entry", function()
      local c = vim.lsp.config.dossier
      return c.root_markers[1] == "dossier.toml" and c.cmd[1] == "dossier" and vim.tbl_contains(c.filetypes, "text"),
        ("cmd %s, root_markers %s, filetypes %s"):format(table.concat(c.cmd, " "), table.concat(c.root_markers, ","), table.concat(c.filetypes, ","))
    end)
  end

  return buf, jrow, jcol
end

--- Hover, definition, references, completion and tagging, typed as a user types them.
local function features(buf, jrow, jcol)
  check("K on Jack Ma shows his card with China", function()
    vim.api.nvim_win_set_cursor(0, { jrow + 1, jcol + 1 })
    feed("K")
    local text = wait(10000, function()
      local t = float_text()
      return t:find("China", 1, true) and t
    end)
    local shown = float_text()
    close_floats()
    return text ~= nil, text and text:sub(1, 200) or ("no card with China; floats: " .. shown:sub(1, 200))
  end)

  check("gd is buffer-local in the article", function()
    local m = vim.fn.maparg("gd", "n", false, true)
    return m.buffer == 1, "maparg: buffer=" .. tostring(m.buffer) .. " desc=" .. tostring(m.desc)
  end)

  check("gd on Jack Ma lands on his [[entity]] in entities.toml", function()
    vim.api.nvim_set_current_buf(buf)
    vim.api.nvim_win_set_cursor(0, { jrow + 1, jcol + 1 })
    feed("gd")
    local ok = wait(10000, function()
      return realpath(vim.api.nvim_buf_get_name(0)) == realpath(kb_file)
    end)
    local row = vim.api.nvim_win_get_cursor(0)[1]
    local lines = vim.api.nvim_buf_get_lines(0, row - 1, row + 2, false)
    local here = table.concat(lines, " | ")
    vim.api.nvim_set_current_buf(buf)
    if not ok then
      return false, "still in " .. vim.api.nvim_buf_get_name(0)
    end
    return lines[1] == "[[entity]]" and (lines[2] or ""):find('"jack-ma"', 1, true) ~= nil, ("line %d: %s"):format(row, here)
  end)

  check("grr on Jack Ma lists mentions in all five articles", function()
    vim.fn.setqflist({}, "r")
    vim.api.nvim_win_set_cursor(0, { jrow + 1, jcol + 1 })
    feed("grr")
    local items = wait(10000, function()
      local q = vim.fn.getqflist()
      return #q > 0 and q
    end)
    vim.cmd("cclose")
    vim.api.nvim_set_current_buf(buf)
    if not items then
      return false, "empty quickfix list"
    end
    local files, n = {}, 0
    for _, item in ipairs(items) do
      local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(item.bufnr), ":t")
      if name:match("%.txt$") and not files[name] then
        files[name] = true
        n = n + 1
      end
    end
    return n == 5, ("%d locations, mentions in %d articles"):format(#items, n)
  end)

  check('completion of "Met Rod" gives "Met Rodrigo Duterte"', function()
    vim.api.nvim_set_current_buf(buf)
    local last = vim.api.nvim_buf_line_count(buf)
    vim.api.nvim_buf_set_lines(buf, last, last, false, { "" })
    vim.api.nvim_win_set_cursor(0, { last + 1, 0 })
    feed("AMet Rod<C-x><C-o>")
    local info = wait(10000, function()
      if vim.fn.pumvisible() ~= 1 then
        return nil
      end
      local i = vim.fn.complete_info({ "items", "selected" })
      return #i.items > 0 and i
    end)
    if not info then
      feed("<Esc>")
      sleep(50)
      return false, "no completion menu; line: " .. vim.api.nvim_get_current_line()
    end
    local words, index = {}, nil
    for i, item in ipairs(info.items) do
      words[#words + 1] = item.word
      if item.word:find("Rodrigo Duterte", 1, true) and not index then
        index = i - 1
      end
    end
    if not index then
      feed("<C-e><Esc>")
      sleep(50)
      return false, "menu without Rodrigo Duterte: " .. table.concat(words, ", ")
    end
    feed(("<C-n>"):rep(index - info.selected) .. "<C-y><Esc>")
    local line = wait(3000, function()
      return vim.fn.mode() == "n" and vim.api.nvim_get_current_line()
    end) or vim.api.nvim_get_current_line()
    return line == "Met Rodrigo Duterte", ("line after accepting: %q (menu: %s)"):format(line, table.concat(words, ", "))
  end)

  check("tagging a visual selection «Pony Ma» highlights it in another buffer", function()
    -- Both articles get a sentence naming Pony Ma; the second one is shown in a split.
    vim.cmd("split " .. vim.fn.fnameescape(other))
    local obuf = vim.api.nvim_get_current_buf()
    wait(10000, function()
      return clients(obuf)[1]
    end)
    vim.api.nvim_buf_set_lines(obuf, 0, 0, false, { "Pony Ma and Jack Ma met." })
    vim.cmd("wincmd p")
    vim.api.nvim_set_current_buf(buf)
    local last = vim.api.nvim_buf_line_count(buf)
    vim.api.nvim_buf_set_lines(buf, last, last, false, { "Jack Ma met Pony Ma of Tencent." })
    local prow, pcol = find(obuf, "Pony Ma")
    local before = wait(1000, function()
      return entity_at(obuf, prow, pcol)
    end)
    if before then
      return false, "Pony Ma was highlighted before tagging: " .. vim.inspect(before)
    end
    local picked
    local select = vim.ui.select
    vim.ui.select = function(items, opts, on_choice)
      local titles = {}
      for i, item in ipairs(items) do
        local title = opts.format_item and opts.format_item(item) or tostring(item)
        titles[#titles + 1] = title
        if title:find("Tag «Pony Ma» as person", 1, true) then
          picked = title
          vim.ui.select = select
          return on_choice(item, i)
        end
      end
      picked = "none of: " .. table.concat(titles, " / ")
      vim.ui.select = select
      on_choice(nil, nil)
    end
    local row, col = find(buf, "Pony Ma")
    vim.api.nvim_win_set_cursor(0, { row + 1, col })
    feed("v6lgra")
    wait(10000, function()
      return picked
    end)
    vim.ui.select = select
    if not picked or picked:sub(1, 5) == "none " then
      return false, "code action menu: " .. tostring(picked)
    end
    local e = wait(15000, function()
      local got = entity_at(obuf, prow, pcol)
      return got and got.kind == "person" and got
    end)
    local saved = wait(5000, function()
      local f = io.open(kb_file)
      local text = f and f:read("*a") or ""
      if f then
        f:close()
      end
      return text:find('"Pony Ma"', 1, true) ~= nil
    end)
    local kb_buf = vim.fn.bufnr(kb_file)
    local modified = kb_buf ~= -1 and vim.bo[kb_buf].modified
    if not e then
      return false, "Pony Ma not highlighted as a person in the other buffer; entities.toml has it: " .. tostring(saved)
    end
    return saved and not modified,
      ("other buffer: %s %s..%s; entities.toml written: %s, buffer modified: %s"):format(e.kind, pcol, tostring(e.end_col), tostring(saved), tostring(modified))
  end)

end

--- The plugin's commands: :DossierInfo, and :DossierRestart giving the article a new client
--- that highlights it again.
local function commands(buf)
  check(":DossierInfo and :DossierRestart work", function()
    vim.api.nvim_set_current_buf(buf)
    local info = vim.fn.execute("DossierInfo")
    local old = clients(buf)[1]
    vim.cmd("DossierRestart")
    local new = wait(15000, function()
      local c = clients(buf)[1]
      return c and c.id ~= old.id and c
    end)
    if not new then
      return false, "no new client after :DossierRestart"
    end
    local row, col = find(buf, "Jack Ma")
    local e = wait(15000, function()
      return entity_at(buf, row, col)
    end)
    return e ~= nil and e.kind == "person" and #clients() == 1,
      ("client %d -> %d, %d running, Jack Ma: %s; info: %s"):format(old.id, new.id, #clients(), e and e.kind or "none", info:gsub("%s+", " "))
  end)
end

--- Buffers that must start no client.
local function isolation()
  check("an unnamed buffer starts no client", function()
    local before = #clients()
    vim.cmd("enew")
    vim.cmd("setfiletype text")
    local nbuf = vim.api.nvim_get_current_buf()
    sleep(500)
    local attached = #clients(nbuf)
    local after = #clients()
    local gd = vim.fn.maparg("gd", "n", false, true)
    return attached == 0 and after == before and gd.buffer ~= 1,
      ("clients before %d, after %d, attached %d, gd buffer-local: %s"):format(before, after, attached, tostring(gd.buffer))
  end)

  check("a file outside any corpus starts no client", function()
    local before = #clients()
    vim.cmd("edit " .. vim.fn.fnameescape(outside .. "/note.txt"))
    local nbuf = vim.api.nvim_get_current_buf()
    sleep(500)
    return #clients(nbuf) == 0 and #clients() == before,
      ("filetype %s, clients before %d, after %d"):format(vim.bo[nbuf].filetype, before, #clients())
  end)

end

--- `:checkhealth dossier`, from the article.
local function health(buf)
  check(":checkhealth dossier reports the binary", function()
    vim.api.nvim_set_current_buf(buf)
    vim.cmd("checkhealth dossier")
    local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
    results.health = text
    local errors = text:find("ERROR", 1, true)
    return text:find("dossier 0.", 1, true) ~= nil and not errors and text:find("is in the corpus", 1, true) ~= nil,
      (errors and "has ERROR; " or "") .. text:gsub("%s+", " "):sub(1, 300)
  end)

end

--- Nothing went wrong on the way (0.7 once printed W18 for the `@` group names).
local function clean()
  check("no errors or warnings from the plugin", function()
    local msgs = vim.fn.execute("messages")
    local bad = msgs:match("[^\n]*W18[^\n]*") or msgs:match("[^\n]*E%d+:[^\n]*") or msgs:match("[^\n]*[Ee]rror[^\n]*")
    return bad == nil, bad or "clean"
  end)
end

local function run()
  local buf, jrow, jcol = basics()
  if not plain then
    features(buf, jrow, jcol)
    commands(buf)
  end
  isolation()
  if not plain then
    health(buf)
  end
  clean()
end

vim.schedule(function()
  local co = coroutine.create(function()
    local ok, why = pcall(run)
    if not ok then
      table.insert(results.checks, { name = "run", ok = false, detail = tostring(why) })
    end
    finish()
  end)
  local ok, why = coroutine.resume(co)
  if not ok then
    table.insert(results.checks, { name = "start", ok = false, detail = tostring(why) })
    finish()
  end
end)
