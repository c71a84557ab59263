-- ARGV: server id, address, ttl ms, fresh ('1' when the server process starts, or found its registration gone;
-- '0' for its heartbeat). The registration lives `ttl` ms unless renewed; the reaper ends what an expired one held.
-- Replies: idle | idle ended (an allocation held it: ended) | fenced | renewed <status>.
local id, address, ttl, fresh = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local key = K_SERVER .. id
local srv, wrong = read_hash(key)
if fresh ~= '1' then
  -- A registration that is gone (reaped, or Redis lost its data) is not renewed: the server registers afresh, so
  -- a reaped server never comes back in a state nobody tracks.
  if wrong or not srv or not SERVER_STATUSES[srv.status] or not redis.call('ZSCORE', K_SERVERS_LIVE, id) then
    return { 'fenced' }
  end
  redis.call('ZADD', K_SERVERS_LIVE, int(NOW + ttl), id)
  -- An idle server out of the pool was parked after a call to it failed, or claimed after it lapsed: this
  -- heartbeat proves it alive.
  if srv.status == 'idle' and not redis.call('ZSCORE', K_SERVERS_IDLE, id) then
    redis.call('ZADD', K_SERVERS_IDLE, int(redis.call('INCR', K_SEQ)), id)
  end
  return { 'renewed', srv.status }
end
if wrong then
  redis.call('DEL', key)
  srv = nil
end
redis.call('ZADD', K_SERVERS_LIVE, int(NOW + ttl), id)
-- An allocation that holds it claimed sent its create call to the previous process: whatever game that made died
-- with it, so the allocation ends here as the reaper ends one. Keeping the claim let a late reply commit a game
-- that is gone, and left the new process listed busy for good (swarm seed 850).
local ended = end_claiming_allocation(id, srv)
-- A process that starts hosts no game: a busy record is a previous incarnation's, whose game died with it.
redis.call('HSET', key, 'address', address, 'status', 'idle', 'session', '')
-- That game is over for its players too, as release_server says of one that ended: a player who comes back is
-- not told a game on a process that is gone.
if srv and srv.status == 'busy' and present(srv.session) then
  local s = read_hash(K_SESSION .. srv.session)
  if s and s.status == 'matched' and s.server == id then
    redis.call('HSET', K_SESSION .. srv.session, 'status', 'over')
  end
end
if not redis.call('ZSCORE', K_SERVERS_IDLE, id) then
  redis.call('ZADD', K_SERVERS_IDLE, int(redis.call('INCR', K_SEQ)), id)
end
if ended then
  return { 'idle', 'ended' }
end
return { 'idle' }
