-- ARGV: player, conn. The instance's subscription was lost and is back: messages published meanwhile never
-- arrived, so the connection is told again where its player stands, as the transitions it missed told it.
-- Replies: told <state> | repaired <state> (the record said its player was loading in a session that says
-- otherwise: put right from the session, then told) | gone (no valid record owned by this connection, or a game
-- no longer on record) | over (the player's game ended: nothing to tell again; the instance closes the
-- connection).
local pid, conn = ARGV[1], ARGV[2]
local rec, st = load_player(pid)
if st ~= 'ok' or rec.conn ~= conn then
  return { 'gone' }
end
if rec.state == 'queued' then
  notify(pid, rec, { type = 'queued' })
elseif rec.state == 'in_game' then
  local game = present(rec.session) and read_hash(K_SESSION .. rec.session) or nil
  if not (game and present(game.game_session) and present(game.address)) then
    return { 'gone' }
  end
  -- A game its server ended was told of when it began; telling it again would send the player back to it.
  if game.status ~= 'matched' then
    return { 'over' }
  end
  notify(pid, rec, { type = 'match_found', session_id = game.game_session, server_address = game.address })
else
  -- Believed as far as its session agrees (put_right): else it would send the client back to a loading screen
  -- nothing will end.
  local disagrees, s = session_disagrees(pid, rec)
  if disagrees then
    return { 'repaired', put_right(pid, rec, s) }
  end
  notify(pid, rec, { type = 'start_loading', loading_session_id = rec.session })
end
return { 'told', rec.state }
