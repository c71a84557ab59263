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
os, io, package, require, dofile, loadfile, utf8 = nil, nil, nil, nil, nil, nil, nil

-- Lua 5.1 numbers are doubles: floor and ceil return floats; %d formats any number by truncation
-- (fengari's integers are 32-bit, so its %d rejects millisecond timestamps); float conversions round
-- like C (the native cformat), not like JavaScript.
local floor, ceil, format, tonumber_, cformat = math.floor, math.ceil, string.format, tonumber, __redis_cformat
rawset(_G, '__redis_cformat', nil)
math.floor = function(x) return floor(x) + 0.0 end
math.ceil = function(x) return ceil(x) + 0.0 end
string.format = function(fmt, ...)
  local args = table.pack(...)
  local index = 0
  local rewritten = fmt:gsub('%%[-+ #0]*%d*%.?%d*[%a%%]', function(spec)
    if spec == '%%' then return nil end
    index = index + 1
    local conversion = spec:sub(-1)
    local n = tonumber_(args[index])
    if not n then return nil end
    if (conversion == 'd' or conversion == 'i') and not spec:find('.', 1, true) then
      local t = n >= 0 and floor(n) + 0.0 or ceil(n) + 0.0
      -- C's (long long) cast of an out-of-range double, on x86: the minimum int64.
      if t ~= t or t >= 2^63 or t < -2^63 then t = -2^63 end
      args[index] = t
      return spec:sub(1, -2) .. '.0f'
    end
    local formatted = cformat(spec, n)
    if formatted then
      args[index] = formatted
      return '%s'
    end
  end)
  return format(rewritten, table.unpack(args, 1, args.n))
end

-- Lua 5.1 reads base 10 the way it reads no base at all (numbers pass, strings go through strtod).
tonumber = function(...)
  if select('#', ...) == 0 then error("bad argument #1 to 'tonumber' (value expected)", 2) end
  if select('#', ...) >= 2 and select(2, ...) == 10 then return tonumber_((...)) end
  return tonumber_(...)
end

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
