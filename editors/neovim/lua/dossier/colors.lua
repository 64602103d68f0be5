--- Highlight groups for entity kinds and modifiers.
---
--- Each kind has a group of its own, `DossierPerson` … `DossierProduct`, with a colour chosen
--- for the current 'background' (visible against Neovim's default colour scheme, dark and
--- light, and distinct from each other); `DossierWeak` (italic) and `DossierAmbiguous`
--- (undercurl) mark the modifiers. They are defined with `default = true`, so a colour scheme or
--- the user overrides them, and are defined again on |ColorScheme| and when 'background' changes.
---
--- On Neovim 0.8 and newer the semantic-token groups `@lsp.type.<kind>` and `@lsp.mod.<modifier>`
--- link to them (also `default`). Neovim 0.7 rejects `@` and `.` in group names, so there the
--- plugin's own highlighter uses the `Dossier*` groups directly.
local M = {}

--- The six kinds, in the server's legend order.
M.kinds = { "person", "organization", "place", "initiative", "event", "product" }

--- The two token modifiers.
M.modifiers = { "ambiguous", "weak" }

---@class dossier.HighlightSpec
---@field fg? string       GUI foreground, "#rrggbb"
---@field ctermfg? integer 256-colour foreground
---@field sp? string       GUI colour of underlines
---@field italic? boolean
---@field bold? boolean
---@field underline? boolean
---@field undercurl? boolean
---@field link? string

--- Colours per 'background'. Dark: light tints, like Neovim's own dark palette; light: deep
--- shades. Every one differs from the default Normal foreground and from the five others.
---@type table<"dark"|"light", table<string, dossier.HighlightSpec>>
M.palettes = {
  dark = {
    person = { fg = "#ff9f8f", ctermfg = 210 },
    organization = { fg = "#7cc4ff", ctermfg = 117 },
    place = { fg = "#8fe39b", ctermfg = 114 },
    initiative = { fg = "#e0aaff", ctermfg = 183 },
    event = { fg = "#ffd27a", ctermfg = 222 },
    product = { fg = "#6fe3dc", ctermfg = 80 },
  },
  light = {
    person = { fg = "#b42318", ctermfg = 124 },
    organization = { fg = "#0b5cad", ctermfg = 25 },
    place = { fg = "#1d7a33", ctermfg = 28 },
    initiative = { fg = "#8a35b5", ctermfg = 91 },
    event = { fg = "#8f5600", ctermfg = 94 },
    product = { fg = "#00727a", ctermfg = 30 },
  },
}

--- Modifier looks, whatever the background.
---@type table<string, dossier.HighlightSpec>
M.modifier_specs = {
  weak = { italic = true },
  ambiguous = { undercurl = true, sp = "#ff5f5f" },
}

--- `person` -> `DossierPerson`.
---@param name string a kind or modifier
---@return string
function M.group(name)
  return "Dossier" .. name:sub(1, 1):upper() .. name:sub(2)
end

--- Whether this Neovim accepts `@lsp.type.person` as a group name (0.8+).
---@return boolean
function M.has_at_groups()
  return vim.fn.has("nvim-0.8") == 1
end

--- The group an extmark or token of `kind` (or modifier) is highlighted with on this Neovim.
---@param name string
---@param is_modifier? boolean
---@return string
function M.token_group(name, is_modifier)
  if not M.has_at_groups() then
    return M.group(name)
  end
  return (is_modifier and "@lsp.mod." or "@lsp.type.") .. name
end

--- The user's colours from `setup({ colors = … })`, applied over the defaults.
---@type table<string, dossier.HighlightSpec>
local user = {}

--- What the plugin itself last set for each group (to tell it from a user's or a colour
--- scheme's definition when 'background' changes).
---@type table<string, integer|false>
local ours = {}

--- The current GUI foreground of a group, or false.
---@param name string
---@return integer|false
local function current_fg(name)
  local ok, hl = pcall(vim.api.nvim_get_hl_by_name, name, true)
  return ok and hl.foreground or false
end

--- Whether a group has any definition at all.
---@param name string
---@return boolean
local function is_defined(name)
  local ok, hl = pcall(vim.api.nvim_get_hl_by_name, name, true)
  if not ok then
    return false
  end
  for key in pairs(hl) do
    if type(key) == "string" then
      return true
    end
  end
  return false
end

--- Defines one group. The user's colours (over the default) always win. The plugin's defaults go in with
--- `default = true` (kept only where nothing else defined the group), and replace only what the
--- plugin itself set before, when 'background' changes.
---@param name string
---@param spec dossier.HighlightSpec
---@param user_spec? dossier.HighlightSpec
local function define(name, spec, user_spec)
  if user_spec then
    -- Over the default: `{ bold = true }` keeps the kind's colour.
    vim.api.nvim_set_hl(0, name, vim.tbl_extend("force", spec, user_spec))
    ours[name] = nil
    return
  end
  local s = vim.deepcopy(spec)
  if is_defined(name) then
    local mine = ours[name]
    if mine == nil or current_fg(name) ~= mine then
      return -- a colour scheme's or the user's
    end
  else
    s.default = true
  end
  vim.api.nvim_set_hl(0, name, s)
  ours[name] = current_fg(name)
end

--- Defines every group for the current 'background'.
function M.apply()
  local palette = M.palettes[vim.o.background == "light" and "light" or "dark"]
  for _, kind in ipairs(M.kinds) do
    define(M.group(kind), palette[kind], user[kind])
  end
  for _, mod in ipairs(M.modifiers) do
    define(M.group(mod), M.modifier_specs[mod], user[mod])
  end
  if M.has_at_groups() then
    for _, kind in ipairs(M.kinds) do
      vim.api.nvim_set_hl(0, "@lsp.type." .. kind, { link = M.group(kind), default = true })
    end
    for _, mod in ipairs(M.modifiers) do
      vim.api.nvim_set_hl(0, "@lsp.mod." .. mod, { link = M.group(mod), default = true })
    end
  end
end

--- Sets the user's colours (may be empty) and defines the groups now, at the end of startup, and
--- whenever the colour scheme or 'background' changes.
---@param colors? table<string, dossier.HighlightSpec>
function M.setup(colors)
  user = colors or {}
  M.apply()
  local group = vim.api.nvim_create_augroup("dossier.colors", { clear = true })
  vim.api.nvim_create_autocmd("ColorScheme", { group = group, callback = M.apply })
  -- 'background' set later in the user's config fires no OptionSet during startup.
  vim.api.nvim_create_autocmd("VimEnter", { group = group, callback = M.apply, once = true })
  vim.api.nvim_create_autocmd("OptionSet", {
    group = group,
    pattern = "background",
    -- Synchronously: the colour scheme (if any) has been loaded again already, and the
    -- redraw that follows the option shows the new colours (0.7 does not redraw after a
    -- scheduled change of highlights).
    callback = M.apply,
  })
end

return M
