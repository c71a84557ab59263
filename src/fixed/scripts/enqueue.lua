-- ARGV: player, mode, conn, instance.
-- Replies: fenced | already <state> | in_game | queued <new|takeover|repaired>.
local pid, mode, conn, instance = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
-- An instance already reaped must not create records nobody would ever reap.
if not redis.call('ZSCORE', K_INSTANCES, instance) then
  return { 'fenced' }
end
local rec, st = load_player(pid)
local how = 'new'
if st == 'ok' then
  if rec.state == 'in_game' then
    return { 'in_game' }
  end
  if rec.conn == conn then
    return { 'already', rec.state }
  end
  -- A reconnect: the old connection is replaced wherever its player was.
  notify(pid, rec, { type = 'error', message = TEXT_REPLACED }, true)
  leave_record(pid, rec)
  how = 'takeover'
elseif st == 'corrupt' then
  delete_player(pid, rec)
  how = 'repaired'
end
local seq = redis.call('INCR', K_SEQ)
redis.call('HSET', K_PLAYER .. pid, 'state', 'queued', 'mode', mode, 'conn', conn, 'instance', instance,
  'session', '', 'seq', int(seq))
redis.call('SADD', K_CONNS .. instance, pid)
redis.call('ZADD', K_QUEUE .. mode, int(seq), pid)
notify(pid, { conn = conn, instance = instance }, { type = 'queued' })
return { 'queued', how }
