/**
 * Lua run once per state, before globals are frozen: Lua 5.1 names Redis scripts rely on (fengari is Lua
 * 5.3), Redis's pcall (which hands scripts the message of a redis.call error instead of its table), and
 * libraries Redis does not load.
 */
export const PRELUDE = `
unpack = table.unpack
loadstring = load
table.getn = function(t) return #t end
math.pow = function(x, y) return x ^ y end
math.mod = math.fmod
math.log10 = function(x) return math.log(x, 10) end
local rep = string.rep
-- Lua 5.1's string.rep has no separator argument.
string.rep = function(s, n) return rep(s, n) end
os, io, package, require, dofile, loadfile, utf8 = nil, nil, nil, nil, nil, nil, nil

local rawpcall, pack, tunpack = pcall, table.pack, table.unpack
pcall = function(...)
  local results = pack(rawpcall(...))
  if not results[1] and type(results[2]) == 'table' then
    local message = rawget(results[2], 'err')
    if type(message) == 'string' or type(message) == 'number' then results[2] = message end
  end
  return tunpack(results, 1, results.n)
end

local function sanitize(e)
  local full = e:sub(1, 1) == '-' and e or ('-' .. e)
  local space = full:find(' ', 1, true)
  local code, message
  if space then code, message = full:sub(2, space - 1), full:sub(space + 1)
  else code, message = 'ERR', full:sub(2) end
  message = message:gsub('^[\\r\\n]+', ''):gsub('[\\r\\n]+$', '')
  return code .. ' ' .. message
end

redis.error_reply = function(...)
  local e = ...
  if select('#', ...) ~= 1 or type(e) ~= 'string' then return {err = 'ERR wrong number or type of arguments'} end
  return {err = sanitize(e)}
end

redis.status_reply = function(...)
  local s = ...
  if select('#', ...) ~= 1 or type(s) ~= 'string' then return {err = 'ERR wrong number or type of arguments'} end
  return {ok = s}
end

redis.log = function() end
redis.replicate_commands = function() return true end
redis.set_repl = function() end
redis.setresp = function() end
redis.breakpoint = function() return false end
redis.debug = function() end
redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3
`;

/**
 * Redis 7.0's message handler: wraps plain errors as {err = 'ERR ' .. message} and records where the script
 * failed, which ends up in the reply as "script: <sha>, on @user_script:<line>.".
 */
export const ERROR_HANDLER = `
local dbg = debug
return function(err)
  -- The failing frame is the script's: native functions (fengari reports what = 'J' where C Lua says 'C')
  -- and this prelude's stand-ins for Lua 5.1 functions, which are native in Redis, are skipped.
  local level = 2
  local info = dbg.getinfo(level, 'nSl')
  while info and (info.what == 'C' or info.what == 'J' or info.source == '=prelude') do
    level = level + 1
    info = dbg.getinfo(level, 'nSl')
  end
  -- A native called by a stand-in names the stand-in's line; Redis's natives name the script's.
  if type(err) == 'string' and info then err = err:gsub('^prelude:%d+: ', info.short_src .. ':' .. info.currentline .. ': ') end
  if type(err) ~= 'table' then err = {err = 'ERR ' .. tostring(err)} end
  if info then
    err.source = info.source
    err.line = info.currentline
  end
  return err
end
`;
