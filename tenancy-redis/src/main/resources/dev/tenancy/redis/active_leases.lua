-- Counts the live leases in the sorted set KEYS[1]: those expiring after now on the Redis server's clock. Read-only.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
