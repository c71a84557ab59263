-- ARGV: player, mode, conn, instance, overtaken ('1': the client sent this request before the connection told it
-- of a game, so it is the request that game answered, sent twice, not a new one).
-- Replies: fenced | already <state> | in_game | resumed <state> | queued <new|repaired|after_game>.
local pid, mode, conn, instance, overtaken = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5] == '1'
-- An instance already reaped must not create records nobody would ever reap.
if not redis.call('ZSCORE', K_INSTANCES, instance) then
  return { 'fenced' }
end
local rec, st = load_player(pid)
local how = 'new'
if st == 'ok' and rec.state == 'in_game' then
  -- The record is the truth: a player whose match_found was lost (its instance died before delivering it) is
  -- told again on whichever connection asks, and that connection owns the record from now on.
  local game = present(rec.session) and read_hash(K_SESSION .. rec.session) or nil
  if game and LIVE[game.status] then
    -- In a game whose session has not begun one: only a foreign writer says so. Taken as corrupt (a session
    -- that lists the player is cancelled), then a new request.
    discard_corrupt(pid, rec, rec.conn ~= conn)
    how = 'repaired'
  elseif game and game.status == 'matched' and present(game.game_session) and present(game.address) then
    if rec.conn ~= conn then
      if present(rec.instance) then
        redis.call('SREM', K_CONNS .. rec.instance, pid)
      end
      redis.call('HSET', K_PLAYER .. pid, 'conn', conn, 'instance', instance)
      redis.call('PERSIST', K_PLAYER .. pid)
      redis.call('SADD', K_CONNS .. instance, pid)
    end
    notify(pid, { conn = conn, instance = instance },
      { type = 'match_found', session_id = game.game_session, server_address = game.address })
    return { 'in_game' }
  elseif overtaken then
    -- Its game came and went while this duplicate waited: answered already, by that game.
    return { 'already', 'in_game' }
  else
    -- The game is over (its server said so, or its record expired): this is a new request to play.
    delete_player(pid, rec)
    how = 'after_game'
  end
  st = 'missing'
end
if st == 'ok' then
  if rec.conn == conn then
    -- Asked again while its record says loading: believed as far as its session agrees (put_right), or the
    -- client, told "already", would wait for a session nothing will end.
    if LIVE[rec.state] then
      local disagrees, s = session_disagrees(pid, rec)
      if disagrees then
        return put_right(pid, rec, s) == 'in_game' and { 'in_game' } or { 'queued', 'repaired' }
      end
    end
    return { 'already', rec.state }
  end
  -- A reconnect (or a second tab, or a stale connection's late frame: the server cannot tell them apart):
  -- the newest enqueue owns the player, which keeps its place. Nobody else's session is cancelled for it.
  notify(pid, rec, { type = 'error', message = TEXT_REPLACED }, true)
  redis.call('SREM', K_CONNS .. rec.instance, pid)
  redis.call('HSET', K_PLAYER .. pid, 'conn', conn, 'instance', instance)
  redis.call('SADD', K_CONNS .. instance, pid)
  local to = { conn = conn, instance = instance }
  -- The asked mode is the player's from now on: a session it is in goes on, and if it fails the player is
  -- re-queued where it last asked to be, with its old place.
  if rec.mode ~= mode then
    redis.call('HSET', K_PLAYER .. pid, 'mode', mode)
  end
  if rec.state == 'queued' then
    if rec.mode ~= mode then
      redis.call('ZREM', K_QUEUE .. rec.mode, pid)
      redis.call('ZADD', K_QUEUE .. mode, int(tonumber(rec.seq) or redis.call('INCR', K_SEQ)), pid)
    end
    notify(pid, to, { type = 'queued' })
  else
    notify(pid, to, { type = 'start_loading', loading_session_id = rec.session })
  end
  return { 'resumed', rec.state }
elseif st == 'corrupt' then
  -- Another connection named by the record is told to start over; this one is answered below.
  discard_corrupt(pid, rec, rec.conn ~= conn)
  how = 'repaired'
end
local seq = redis.call('INCR', K_SEQ)
redis.call('HSET', K_PLAYER .. pid, 'state', 'queued', 'mode', mode, 'conn', conn, 'instance', instance,
  'session', '', 'seq', int(seq))
redis.call('SADD', K_CONNS .. instance, pid)
redis.call('ZADD', K_QUEUE .. mode, int(seq), pid)
notify(pid, { conn = conn, instance = instance }, { type = 'queued' })
return { 'queued', how }
