-- ARGV: session, token, attempt (one allocator's id; its retries get the same server back).
-- Replies: stale | taken | none <skipped> | claimed <server id> <address> <skipped>.
local sid, token, attempt = ARGV[1], ARGV[2], ARGV[3]
local s, st = load_session(sid)
if st ~= 'ok' or s.status ~= 'allocating' or s.token ~= token then
  return { 'stale' }
end
if present(s.server) then
  if s.allocator == attempt then
    local srv = read_hash(K_SERVER .. s.server)
    if srv and present(srv.address) then
      return { 'claimed', s.server, srv.address, 0 }
    end
  end
  return { 'taken' }
end
local skipped = 0
while true do
  local head = redis.call('ZRANGE', K_SERVERS_IDLE, 0, 0)
  if #head == 0 then
    return { 'none', skipped }
  end
  local id = head[1]
  redis.call('ZREM', K_SERVERS_IDLE, id)
  local srv = read_hash(K_SERVER .. id)
  if not srv or srv.status ~= 'idle' or not present(srv.address) then
    -- Listed idle but not idle (or unreadable): never hand it out.
    skipped = skipped + 1
  elseif server_live(id) then
    redis.call('HSET', K_SERVER .. id, 'status', 'claimed', 'session', sid)
    redis.call('HSET', K_SESSION .. sid, 'server', id, 'allocator', attempt)
    return { 'claimed', id, srv.address, skipped }
  end
  -- A server whose registration lapsed leaves the pool: the reaper removes it, or its next heartbeat puts it back.
end
