-- ARGV: player, conn. Only the owning connection's leave counts. Replies: ignored | left <state>.
local pid, conn = ARGV[1], ARGV[2]
local rec, st = load_player(pid)
if st == 'missing' or rec.conn ~= conn then
  return { 'ignored' }
end
if st == 'corrupt' then
  discard_corrupt(pid, rec, false)
  return { 'left', 'corrupt' }
end
leave_record(pid, rec)
return { 'left', rec.state }
