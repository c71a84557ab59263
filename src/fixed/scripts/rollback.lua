-- ARGV: session, token, message, park ('1' when the create call never reached the server: it leaves the pool
-- until its next heartbeat proves it alive). Replies: stale | rolled_back <requeued>.
local sid, token, text, park = ARGV[1], ARGV[2], ARGV[3], ARGV[4] == '1'
local s, st = load_session(sid)
if st ~= 'ok' or s.status ~= 'allocating' or s.token ~= token then
  return { 'stale' }
end
end_session(sid, s, 'cancelled', park)
return { 'rolled_back', requeue_members(sid, s, text) }
