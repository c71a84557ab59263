-- ARGV: player, session, conn, allocation timeout ms.
-- Replies: waiting | ignored <reason> | allocate <token> <mode> <player>...
local pid, sid, conn, alloc_timeout = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local rec, st = load_player(pid)
if st == 'corrupt' and rec.conn == conn then
  -- This connection's record can no longer be trusted: the player leaves from where it reads, and starts over.
  discard_corrupt(pid, rec, true)
  return { 'ignored', 'corrupt' }
end
if st ~= 'ok' or rec.conn ~= conn then
  return { 'ignored', 'not_owner' }
end
if rec.session ~= sid then
  return { 'ignored', 'other_session' }
end
local s, sst = load_session(sid)
local key = K_SESSION .. sid

local function allocate_reply(token, list)
  local reply = { 'allocate', token, s.mode }
  for _, m in ipairs(list) do
    reply[#reply + 1] = m
  end
  return reply
end

if sst ~= 'ok' or not LIVE[s.status] then
  if LIVE[rec.state] then
    put_right(pid, rec, sst == 'ok' and s or nil)
    return { 'ignored', 'repaired' }
  end
  return { 'ignored', 'session_ended' }
end

if s.status == 'allocating' then
  -- A retried ready whose first reply was lost: allocation may be driven again until a server is claimed.
  if rec.state == 'allocating' and not present(s.server) and present(s.token) then
    return allocate_reply(s.token, members(s))
  end
  return { 'ignored', 'allocating' }
end

if rec.state ~= 'loading' then
  -- A member of a loading session is loading: a record that names the session and says otherwise is a foreign
  -- writer's, as corrupt as garbage.
  discard_corrupt(pid, rec, true)
  return { 'ignored', 'state' }
end
local deadline = tonumber(s.deadline)
if not deadline or NOW > deadline then
  return { 'ignored', 'late' }
end
redis.call('HSET', key, 'ready:' .. pid, '1')
local list = members(s)
for _, m in ipairs(list) do
  if m ~= pid and s['ready:' .. m] ~= '1' then
    return { 'waiting' }
  end
end

local token = int(redis.call('INCR', K_FENCE))
local alloc_deadline = NOW + alloc_timeout
redis.call('HSET', key, 'status', 'allocating', 'token', token, 'deadline', int(alloc_deadline))
redis.call('PEXPIRE', key, int(alloc_timeout + LIVE_TTL_GRACE_MS))
redis.call('ZADD', K_DEADLINES, int(alloc_deadline), sid)
for _, m in ipairs(list) do
  if member_of(m, sid) then
    redis.call('HSET', K_PLAYER .. m, 'state', 'allocating')
  end
end
return allocate_reply(token, list)
