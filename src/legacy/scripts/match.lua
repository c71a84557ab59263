local queue_key = KEYS[1]
local required_players = tonumber(ARGV[1])
if redis.call('SCARD', queue_key) >= required_players then
    return redis.call('SPOP', queue_key, required_players)
else
    return {}
end
