-- A headless Neovim that starts `pathfinder server` for Python files with
-- its built-in LSP client, waits for diagnostics and writes them to a file.
local bin = os.getenv("PATHFINDER_BIN")
local root = os.getenv("PATHFINDER_ROOT")
local out = os.getenv("PATHFINDER_NVIM_OUT")

local function write(text)
  local file = io.open(out, "w")
  file:write(text)
  file:close()
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = "python",
  callback = function(args)
    -- start_client + buf_attach_client: Debian 12 ships Neovim 0.7, which
    -- has no vim.lsp.start yet.
    local client = vim.lsp.start_client({ name = "pathfinder", cmd = { bin, "server" }, root_dir = root })
    vim.lsp.buf_attach_client(args.buf, client)
  end,
})

vim.api.nvim_create_autocmd("DiagnosticChanged", {
  callback = function(args)
    local found = vim.diagnostic.get(args.buf)
    if #found == 0 then
      return
    end
    local lines = {}
    for _, d in ipairs(found) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ""
      local message = d.message:gsub("\n", " ")
      table.insert(lines, string.format("%d:%d:%d:%s:%s", d.lnum + 1, d.col + 1, d.severity, code, message))
    end
    write(table.concat(lines, "\n") .. "\n")
    vim.cmd("qall!")
  end,
})

vim.defer_fn(function()
  write("timeout: no diagnostics\n")
  vim.cmd("qall!")
end, 20000)
