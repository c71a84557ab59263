-- ARGV: limit, calling instance. Instances whose presence expired lose every record their connections
-- owned. The caller is running, so it skips itself: its presence renewal is due, not its funeral.
local limit, self = tonumber(ARGV[1]), ARGV[2]
local dead = redis.call('ZRANGEBYSCORE', K_INSTANCES, '-inf', '(' .. int(NOW), 'LIMIT', 0, limit)
local reply = { 'reaped' }
for _, instance in ipairs(dead) do
  if instance ~= self then
    purge_instance(instance)
    redis.call('ZREM', K_INSTANCES, instance)
    reply[#reply + 1] = instance
  end
end
return reply
