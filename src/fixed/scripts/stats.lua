-- ARGV: instance. Reads only: what an operator looks at first, counted in one consistent pass.
-- Reply: stats <players of this instance's connections: queued loading allocating in_game>
--   <live sessions: loading allocating> <dedicated servers: live idle claimed busy expired> <live instances>
local instance = ARGV[1]
local players = { queued = 0, loading = 0, allocating = 0, in_game = 0 }
for _, pid in ipairs(redis.call('SMEMBERS', K_CONNS .. instance)) do
  local state = redis.pcall('HGET', K_PLAYER .. pid, 'state')
  if type(state) == 'string' and players[state] then
    players[state] = players[state] + 1
  end
end
local sessions = { loading = 0, allocating = 0 }
for _, sid in ipairs(redis.call('ZRANGE', K_DEADLINES, 0, -1)) do
  local status = redis.pcall('HGET', K_SESSION .. sid, 'status')
  if type(status) == 'string' and sessions[status] then
    sessions[status] = sessions[status] + 1
  end
end
local servers = { live = 0, idle = 0, claimed = 0, busy = 0, expired = 0 }
local registered = redis.call('ZRANGE', K_SERVERS_LIVE, 0, -1, 'WITHSCORES')
for i = 1, #registered, 2 do
  if tonumber(registered[i + 1]) < NOW then
    servers.expired = servers.expired + 1
  else
    servers.live = servers.live + 1
    local status = redis.pcall('HGET', K_SERVER .. registered[i], 'status')
    if type(status) == 'string' and SERVER_STATUSES[status] then
      servers[status] = servers[status] + 1
    end
  end
end
return { 'stats', players.queued, players.loading, players.allocating, players.in_game, sessions.loading,
  sessions.allocating, servers.live, servers.idle, servers.claimed, servers.busy, servers.expired,
  redis.call('ZCOUNT', K_INSTANCES, int(NOW), '+inf') }
