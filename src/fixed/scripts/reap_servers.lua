-- ARGV: limit. Dedicated servers whose registration expired (no heartbeat within its TTL) are dead or cut off:
-- the registration and the server's record go, an idle one leaves the pool, a claimed one's session is rolled
-- back (its members re-queued), and a busy one's game is taken to have died with it. A server that was only
-- cut off finds its registration gone at its next heartbeat and registers afresh.
-- Reply: reaped <sessions rolled back> <server id>...
local limit = tonumber(ARGV[1])
local reply = { 'reaped', 0 }
for _, id in ipairs(redis.call('ZRANGEBYSCORE', K_SERVERS_LIVE, '-inf', '(' .. int(NOW), 'LIMIT', 0, limit)) do
  local srv = read_hash(K_SERVER .. id)
  -- Deleted first, so ending its session below cannot return the dead server to the pool.
  redis.call('DEL', K_SERVER .. id)
  redis.call('ZREM', K_SERVERS_IDLE, id)
  redis.call('ZREM', K_SERVERS_LIVE, id)
  if end_claiming_allocation(id, srv) then
    reply[2] = reply[2] + 1
  end
  reply[#reply + 1] = id
end
return reply
