-- ARGV: limit. Ends sessions whose deadline passed.
-- Reply: expired <sessions> <requeued> <removed> <corrupt>.
local limit = tonumber(ARGV[1])
local expired, requeued, removed, corrupt = 0, 0, 0, 0
-- Past means deadline < now: `ready` accepts now <= deadline, so a ready at the deadline's very millisecond
-- counts whichever of the two runs first.
for _, sid in ipairs(redis.call('ZRANGEBYSCORE', K_DEADLINES, '-inf', '(' .. int(NOW), 'LIMIT', 0, limit)) do
  local s, st = load_session(sid)
  if st ~= 'ok' then
    corrupt = corrupt + 1
    redis.call('ZREM', K_DEADLINES, sid)
    -- A hash missing what a session needs is ended all the same: nothing may read it as live any more.
    if s then
      end_session(sid, s, 'expired')
    end
    -- Whoever is still listed is released; an unreadable list strands nobody who later sends ready.
    for _, pid in ipairs(members(s)) do
      local rec = member_or_drop(pid, sid)
      if rec then
        requeue(pid, rec, TEXT_SESSION_LOST)
        requeued = requeued + 1
      end
    end
  elseif s.status == 'loading' then
    expired = expired + 1
    end_session(sid, s, 'expired')
    for _, pid in ipairs(members(s)) do
      local rec = member_or_drop(pid, sid)
      if rec then
        if s['ready:' .. pid] == '1' then
          requeue(pid, rec, TEXT_TIMED_OUT)
          requeued = requeued + 1
        else
          -- Re-queued, a player who never loads would be matched again and block others forever.
          delete_player(pid, rec)
          notify_error(pid, rec, TEXT_LOADING_TIMED_OUT)
          removed = removed + 1
        end
      end
    end
  elseif s.status == 'allocating' then
    -- The allocating instance died or hung: roll back; its later commit fails the status check.
    expired = expired + 1
    end_session(sid, s, 'expired')
    requeued = requeued + requeue_members(sid, s, TEXT_ALLOCATION_FAILED)
  else
    redis.call('ZREM', K_DEADLINES, sid)
  end
end
return { 'expired', expired, requeued, removed, corrupt }
