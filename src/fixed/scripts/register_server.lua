-- ARGV: server id, address. A claimed or busy server keeps its state. Replies: idle | kept <status>.
local id, address = ARGV[1], ARGV[2]
local key = K_SERVER .. id
local srv, wrong = read_hash(key)
if wrong then
  redis.call('DEL', key)
  srv = nil
end
if srv and (srv.status == 'claimed' or srv.status == 'busy') then
  return { 'kept', srv.status }
end
redis.call('HSET', key, 'address', address, 'status', 'idle', 'session', '')
if not redis.call('ZSCORE', K_SERVERS_IDLE, id) then
  redis.call('ZADD', K_SERVERS_IDLE, int(redis.call('INCR', K_SEQ)), id)
end
return { 'idle' }
