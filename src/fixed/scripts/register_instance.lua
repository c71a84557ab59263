-- ARGV: instance, ttl ms, fresh ('1' at start: a previous incarnation's records go; '0' to renew).
-- A renewal for an instance already reaped is refused: its records are gone and it must start afresh.
local instance, ttl, fresh = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local purged = 0
if fresh == '1' then
  purged = purge_instance(instance)
elseif not redis.call('ZSCORE', K_INSTANCES, instance) then
  return { 'fenced' }
end
redis.call('ZADD', K_INSTANCES, int(NOW + ttl), instance)
return { 'ok', purged }
