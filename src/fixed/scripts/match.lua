-- ARGV: mode, required, loading timeout ms, scan limit, session ids to use...
-- Reply: matched <dropped> <more> <sid>... ; `more` is 1 when the ids ran out with players still waiting.
local mode, required, timeout, limit = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local queue = K_QUEUE .. mode
local next_id = 5

local live_instances = {}
local function instance_live(instance)
  local live = live_instances[instance]
  if live == nil then
    local expiry = tonumber(redis.call('ZSCORE', K_INSTANCES, instance))
    live = expiry ~= nil and expiry >= NOW
    live_instances[instance] = live
  end
  return live
end

local function fresh_session_id()
  while next_id <= #ARGV do
    local sid = ARGV[next_id]
    next_id = next_id + 1
    if redis.call('EXISTS', K_SESSION .. sid) == 0 then
      return sid
    end
  end
  return nil
end

local function open_session(sid, group, recs)
  local deadline = NOW + timeout
  local key = K_SESSION .. sid
  redis.call('HSET', key, 'status', 'loading', 'mode', mode, 'deadline', int(deadline),
    'players', table.concat(group, ','), 'created', int(NOW))
  redis.call('PEXPIRE', key, int(timeout + LIVE_TTL_GRACE_MS))
  redis.call('ZADD', K_DEADLINES, int(deadline), sid)
  for i, pid in ipairs(group) do
    redis.call('ZREM', queue, pid)
    redis.call('HSET', K_PLAYER .. pid, 'state', 'loading', 'session', sid)
    notify(pid, recs[i], { type = 'start_loading', loading_session_id = sid })
  end
end

local reply = { 'matched', 0, 0 }
local dropped = 0
local exhausted = false
local group, recs = {}, {}
for _, pid in ipairs(redis.call('ZRANGE', queue, 0, limit - 1)) do
  local rec, st = load_player(pid)
  if st ~= 'ok' or rec.state ~= 'queued' or rec.mode ~= mode then
    -- Not a queued player of this mode: every script moves a record and its queue entry together, so only a
    -- foreign writer leaves one like this. The entry goes, and a record that says otherwise is as corrupt as
    -- one that says nothing (its connection told to start over).
    redis.call('ZREM', queue, pid)
    if st ~= 'missing' then
      discard_corrupt(pid, rec, true)
    end
    dropped = dropped + 1
  elseif instance_live(rec.instance) then
    -- Players of an instance whose presence lapsed wait: it renews or the reaper removes them.
    group[#group + 1] = pid
    recs[#recs + 1] = rec
    if #group == required then
      local sid = fresh_session_id()
      if not sid then
        exhausted = true
        break
      end
      open_session(sid, group, recs)
      reply[#reply + 1] = sid
      group, recs = {}, {}
    end
  end
end
reply[2] = dropped
if exhausted then
  reply[3] = 1
end
return reply
