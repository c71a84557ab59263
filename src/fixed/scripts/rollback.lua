-- ARGV: session, token, message. Replies: stale | rolled_back <requeued>.
local sid, token, text = ARGV[1], ARGV[2], ARGV[3]
local s, st = load_session(sid)
if st ~= 'ok' or s.status ~= 'allocating' or s.token ~= token then
  return { 'stale' }
end
end_session(sid, s, 'cancelled')
local n = 0
for _, pid in ipairs(members(s)) do
  local rec = member_of(pid, sid)
  if rec then
    requeue(pid, rec, text)
    n = n + 1
  end
end
return { 'rolled_back', n }
