-- ARGV: session, token, server id, game session id, game address.
-- Replies: stale | already | matched <told> | abandoned (nobody left to tell: the server is released).
local sid, token, server, game_session, address = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local s, st = load_session(sid)
if st ~= 'ok' or s.token ~= token then
  return { 'stale' }
end
if s.status == 'matched' then
  return { 'already' }
end
if s.status ~= 'allocating' or s.server ~= server then
  return { 'stale' }
end
local told = {}
for _, pid in ipairs(members(s)) do
  local rec, pst = load_player(pid)
  if pst ~= 'missing' and rec.session == sid and (pst == 'corrupt' or rec.state ~= 'allocating') then
    -- A member whose record cannot be trusted (garbage, or a state no member of an allocating session is in)
    -- has left, as far as anyone can tell: so has the game.
    discard_corrupt(pid, rec, true)
    return { 'stale' }
  end
  -- What is left naming this session is a member allocating in it (member_of, from the record read above).
  if pst == 'ok' and rec.session == sid then
    told[#told + 1] = { pid, rec }
  end
end
if #told == 0 then
  -- A busy server must host players who were told; with none, the server goes back to the pool.
  end_session(sid, s, 'cancelled')
  return { 'abandoned' }
end
redis.call('HSET', K_SERVER .. server, 'status', 'busy', 'session', sid)
redis.call('HSET', K_SESSION .. sid, 'status', 'matched', 'game_session', game_session, 'address', address)
redis.call('ZREM', K_DEADLINES, sid)
redis.call('PEXPIRE', K_SESSION .. sid, int(ENDED_TTL_MS))
for _, entry in ipairs(told) do
  redis.call('HSET', K_PLAYER .. entry[1], 'state', 'in_game')
  notify(entry[1], entry[2], { type = 'match_found', session_id = game_session, server_address = address })
end
return { 'matched', #told }
