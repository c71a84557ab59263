local loading_key = KEYS[1]
local player_id = ARGV[1]

if redis.call('EXISTS', loading_key) == 0 then
    return {}
end
local status = redis.call('HGET', loading_key, 'status')
if status and status ~= 'loading' then
    return {}
end

-- Faithful to the original: a player who is not a member still gets a field of its own.
redis.call('HSET', loading_key, player_id, 'ready')

local fields = redis.call('HGETALL', loading_key)
local all_ready = true
local player_ids = {}
local game_mode = ''
for i = 1, #fields, 2 do
    if fields[i] == 'game_mode' then
        game_mode = fields[i + 1]
    elseif fields[i] ~= 'created_at' and fields[i] ~= 'status' then
        if fields[i + 1] ~= 'ready' then
            all_ready = false
            break
        end
        table.insert(player_ids, fields[i])
    end
end

if all_ready and #player_ids > 0 then
    redis.call('DEL', loading_key)
    table.insert(player_ids, 1, game_mode)
    return player_ids
else
    return {}
end
