-- ARGV: server id, game session id (the dedicated server's own, as its create reply named it).
-- The game is over: a server busy for the session that announced this game goes back to idle, at the end of
-- the pool, and the session is over. Matched by game session, not loading session: that is the one id the
-- dedicated server knows.
-- Replies: released | pending (claimed: a commit may still make it busy with this game) | stale.
local id, game_session = ARGV[1], ARGV[2]
local key = K_SERVER .. id
local srv = read_hash(key)
if not srv then
  return { 'stale' }
end
if srv.status == 'claimed' then
  return { 'pending' }
end
if srv.status ~= 'busy' or not present(srv.session) then
  return { 'stale' }
end
local s = read_hash(K_SESSION .. srv.session)
if not s or s.game_session ~= game_session then
  return { 'stale' }
end
redis.call('HSET', key, 'status', 'idle', 'session', '')
-- The game is over for its players too: one who asks to play again is a new request, not sent back to it.
redis.call('HSET', K_SESSION .. srv.session, 'status', 'over')
redis.call('ZADD', K_SERVERS_IDLE, int(redis.call('INCR', K_SEQ)), id)
return { 'released' }
