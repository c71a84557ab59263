-- Shared by every script (scripts.ts prepends it after the generated key/text prelude). Lua 5.1 as Redis 7
-- runs it: locals only, no integer division. Times are kept as floats and printed with '%.0f': exact to
-- 2^53, while an integer format or integer arithmetic would overflow on a Lua with 32-bit integers.

redis.replicate_commands()

-- Before anything reads the slot: was its state written by this Redis process? Redis's run_id is new with every
-- start of its process and another on a promoted replica, so an epoch that differs means Redis restarted from
-- older data (an RDB snapshot, an AOF not yet synced, a lagging replica): acknowledged writes may be lost, and
-- what is left contradicts what clients were told (a game over is live again, a token is issued twice). How
-- much was lost cannot be told, so everything counts as lost: every key of the slot goes, and the script goes on
-- as on an empty Redis, whose recovery exists (instances and dedicated servers find their presence gone:
-- `fenced`, and they start afresh). A missing epoch is a Redis that holds nothing of ours (new, flushed, or
-- restarted empty), or data from before epochs: adopted as it is. An epoch of the wrong type is a foreign
-- writer's, read with pcall so that it cannot fail every script for good: it does not match.
do
  local info = redis.call('INFO', 'server')
  -- A plain find: a pattern match over the section costs several times more, on every script.
  local at = string.find(info, '\nrun_id:', 1, true)
  if not at then
    error('INFO server names no run_id: cannot tell whether Redis restarted')
  end
  local run_id = string.sub(info, at + 8, at + 47)
  local epoch = redis.pcall('GET', K_EPOCH)
  if epoch ~= run_id then
    if epoch then
      local keys = redis.call('KEYS', K_SLOT_PATTERN)
      -- In slices: unpack is bounded by Lua's C stack.
      for i = 1, #keys, 1000 do
        redis.call('DEL', unpack(keys, i, math.min(i + 999, #keys)))
      end
    end
    redis.call('SET', K_EPOCH, run_id)
  end
end

local function int(x)
  return string.format('%.0f', x)
end

-- Redis TIME, in ms: the one clock every deadline uses, whatever the instances' clocks say.
local NOW
do
  local t = redis.call('TIME')
  NOW = tonumber(t[1]) * 1000.0 + math.floor(tonumber(t[2]) / 1000)
end

local STATES = { queued = true, loading = true, allocating = true, in_game = true }
local LIVE = { loading = true, allocating = true }
local SESSION_STATUSES = { loading = true, allocating = true, matched = true, over = true, cancelled = true, expired = true }
local SERVER_STATUSES = { idle = true, claimed = true, busy = true }

local function present(value)
  return type(value) == 'string' and value ~= ''
end

-- A hash as a table. A key of another type (a foreign writer) reads as corrupt instead of aborting the script
-- half way through its writes.
local function read_hash(key)
  local reply = redis.pcall('HGETALL', key)
  if type(reply) ~= 'table' or reply.err then
    return nil, true
  end
  if #reply == 0 then
    return nil, false
  end
  local map = {}
  for i = 1, #reply, 2 do
    map[reply[i]] = reply[i + 1]
  end
  return map, false
end

-- Returns record, status: 'ok', 'missing' or 'corrupt' (the record, when corrupt, holds whatever was readable).
local function load_player(pid)
  local rec, wrong = read_hash(K_PLAYER .. pid)
  if wrong then
    return {}, 'corrupt'
  end
  if not rec then
    return nil, 'missing'
  end
  if not STATES[rec.state] or not present(rec.mode) then
    return rec, 'corrupt'
  end
  -- A queued player is in no session; one loading, allocating or in a game is in one.
  if (rec.state == 'queued') == present(rec.session) then
    return rec, 'corrupt'
  end
  -- Only a player in a game may be detached from every connection (it left; the game goes on).
  if rec.state ~= 'in_game' and (not present(rec.conn) or not present(rec.instance)) then
    return rec, 'corrupt'
  end
  return rec, 'ok'
end

local function load_session(sid)
  local s, wrong = read_hash(K_SESSION .. sid)
  if wrong then
    return nil, 'corrupt'
  end
  if not s then
    return nil, 'missing'
  end
  if not SESSION_STATUSES[s.status] or not present(s.players) or not present(s.mode) then
    return s, 'corrupt'
  end
  return s, 'ok'
end

local function members(s)
  local list = {}
  if s and type(s.players) == 'string' then
    for pid in string.gmatch(s.players, '[^,]+') do
      list[#list + 1] = pid
    end
  end
  return list
end

-- The member's record when it still belongs to this live session, else nil.
local function member_of(pid, sid)
  local rec, st = load_player(pid)
  if st == 'ok' and rec.session == sid and LIVE[rec.state] then
    return rec
  end
  return nil
end

-- Whether session `s` lists the player among its members.
local function lists(s, pid)
  for _, m in ipairs(members(s)) do
    if m == pid then
      return true
    end
  end
  return false
end

-- Published by the transition that makes it true, to the instance whose connection owns the record.
local function notify(pid, rec, message, close)
  local payload = { conn = rec.conn, player = pid, message = message }
  if close then
    payload.close = true
  end
  redis.call('PUBLISH', K_INBOX .. rec.instance, cjson.encode(payload))
end

local function notify_error(pid, rec, text)
  notify(pid, rec, { type = 'error', message = text })
end

local function delete_player(pid, rec)
  redis.call('DEL', K_PLAYER .. pid)
  if present(rec.instance) then
    redis.call('SREM', K_CONNS .. rec.instance, pid)
  end
  if present(rec.mode) then
    redis.call('ZREM', K_QUEUE .. rec.mode, pid)
  end
end

-- Back to the queue at its original place: a player who was matched has waited already.
local function requeue(pid, rec, text)
  local seq = tonumber(rec.seq)
  if not seq then
    seq = redis.call('INCR', K_SEQ)
  end
  redis.call('HSET', K_PLAYER .. pid, 'state', 'queued', 'session', '', 'seq', int(seq))
  redis.call('ZADD', K_QUEUE .. rec.mode, int(seq), pid)
  notify_error(pid, rec, text)
end

-- Returns a server claimed for this session to idle; one in any other state is left alone. A parked server
-- (`park`: a call to it never got through) stays out of the pool until its next heartbeat proves it alive, so
-- a dead server costs one failed allocation, not one per claim until its registration expires.
local function release_server(sid, s, park)
  if not present(s.server) then
    return
  end
  local srv = read_hash(K_SERVER .. s.server)
  if srv and srv.status == 'claimed' and srv.session == sid then
    redis.call('HSET', K_SERVER .. s.server, 'status', 'idle', 'session', '')
    if not park then
      redis.call('ZADD', K_SERVERS_IDLE, int(redis.call('INCR', K_SEQ)), s.server)
    end
  end
end

local function end_session(sid, s, status, park)
  release_server(sid, s, park)
  redis.call('HSET', K_SESSION .. sid, 'status', status)
  redis.call('ZREM', K_DEADLINES, sid)
  redis.call('PEXPIRE', K_SESSION .. sid, int(ENDED_TTL_MS))
end

-- A corrupt record goes; the connection it names (`tell`) is told its player's state was lost and closed, so
-- its client starts over instead of waiting for news that will never come.
local function drop_corrupt(pid, rec, tell)
  delete_player(pid, rec)
  if tell and present(rec.conn) and present(rec.instance) then
    notify(pid, rec, { type = 'error', message = TEXT_STATE_LOST }, true)
  end
end

-- For a session that has ended: the member's record when it still belongs to it live (as member_of), read
-- once. A record that names the session but is corrupt, or in a state no live member is in (every script moves
-- a session's members with it: only a foreign writer leaves one so), will meet no transition any more: it goes
-- now, its connection told to start over.
local function member_or_drop(pid, sid)
  local rec, st = load_player(pid)
  if st == 'missing' or rec.session ~= sid then
    return nil
  end
  if st == 'ok' and LIVE[rec.state] then
    return rec
  end
  drop_corrupt(pid, rec, true)
  return nil
end

-- Whether a loading or allocating record's session disagrees with it (gone, corrupt, ended, or not listing the
-- player), and the session as read (nil when missing or corrupt), for put_right.
local function session_disagrees(pid, rec)
  local s, sst = load_session(rec.session)
  if sst ~= 'ok' then
    return true, nil
  end
  return not (LIVE[s.status] and lists(s, pid)), s
end

-- A loading or allocating record whose session (`s`, nil when missing or corrupt) has ended or does not list
-- it: every script moves a session's members with it, so only a foreign writer leaves one so. It is put right
-- from the session: a game the session began with the player in it is the player's (record in_game, its
-- match_found told again); otherwise the player goes back to the queue told its session was lost. Returns the
-- record's state now.
local function put_right(pid, rec, s)
  if s and s.status == 'matched' and present(s.game_session) and present(s.address) and lists(s, pid) then
    redis.call('HSET', K_PLAYER .. pid, 'state', 'in_game')
    notify(pid, rec, { type = 'match_found', session_id = s.game_session, server_address = s.address })
    return 'in_game'
  end
  requeue(pid, rec, TEXT_SESSION_LOST)
  return 'queued'
end

-- Every member whose record still points at this (ended) session goes back to the queue, told `text`.
local function requeue_members(sid, s, text)
  local n = 0
  for _, pid in ipairs(members(s)) do
    local rec = member_or_drop(pid, sid)
    if rec then
      requeue(pid, rec, text)
      n = n + 1
    end
  end
  return n
end

-- The allocation that holds server `id` claimed (`srv`, the server's record) ends: its create call went to a
-- process that is gone (the registration lapsed, or a new process registered). The session is cancelled, its
-- members go back to the queue told the allocation failed, and its late commit or rollback finds it over.
-- Returns whether there was one.
local function end_claiming_allocation(id, srv)
  if not srv or srv.status ~= 'claimed' or not present(srv.session) then
    return false
  end
  local s, st = load_session(srv.session)
  if st ~= 'ok' or s.status ~= 'allocating' or s.server ~= id then
    return false
  end
  end_session(srv.session, s, 'cancelled')
  requeue_members(srv.session, s, TEXT_ALLOCATION_FAILED)
  return true
end

-- A dedicated server whose heartbeat renewed its registration within its TTL.
local function server_live(id)
  local expiry = tonumber(redis.call('ZSCORE', K_SERVERS_LIVE, id))
  return expiry ~= nil and expiry >= NOW
end

-- Ends a live session because `leaver` is gone; the others go back to the queue. Returns how many.
local function cancel_session(sid, leaver, text)
  local s, st = load_session(sid)
  if st ~= 'ok' or not LIVE[s.status] then
    return 0
  end
  end_session(sid, s, 'cancelled')
  local n = 0
  for _, pid in ipairs(members(s)) do
    if pid ~= leaver then
      local rec = member_or_drop(pid, sid)
      if rec then
        requeue(pid, rec, text)
        n = n + 1
      end
    end
  end
  return n
end

-- A corrupt record is not trusted, but what of it reads still says where its player stood: the player is
-- taken to have left from there as a leave takes it (a live session that lists it is cancelled, the others
-- re-queued), and its record goes (drop_corrupt).
local function discard_corrupt(pid, rec, tell)
  if present(rec.session) then
    local s, sst = load_session(rec.session)
    if sst == 'ok' and LIVE[s.status] and lists(s, pid) then
      cancel_session(rec.session, pid, TEXT_PEER_DISCONNECTED)
    end
  end
  drop_corrupt(pid, rec, tell)
end

-- Removes a valid record wherever it is; a session it was in is cancelled. A player in a game keeps its
-- record, detached from any connection, until the game's own record expires: its match_found may still have
-- been on its way, and a reconnect must be able to learn where its game is.
local function leave_record(pid, rec)
  if rec.state == 'in_game' then
    if present(rec.instance) then
      redis.call('SREM', K_CONNS .. rec.instance, pid)
    end
    redis.call('HSET', K_PLAYER .. pid, 'conn', '', 'instance', '')
    redis.call('PEXPIRE', K_PLAYER .. pid, int(ENDED_TTL_MS))
    return
  end
  if LIVE[rec.state] and present(rec.session) then
    cancel_session(rec.session, pid, TEXT_PEER_DISCONNECTED)
  end
  delete_player(pid, rec)
end

-- Every record owned by a connection of this instance goes: the instance is dead or restarted.
local function purge_instance(inst)
  local pids = redis.call('SMEMBERS', K_CONNS .. inst)
  table.sort(pids)
  for _, pid in ipairs(pids) do
    local rec, st = load_player(pid)
    if st == 'ok' and rec.instance == inst then
      leave_record(pid, rec)
    elseif st == 'corrupt' and (rec.instance == nil or rec.instance == inst) then
      discard_corrupt(pid, rec, false)
    end
  end
  redis.call('DEL', K_CONNS .. inst)
  return #pids
end
