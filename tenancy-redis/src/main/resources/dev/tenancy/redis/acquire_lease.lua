-- Takes or renews holder ARGV[1]'s lease in the sorted set KEYS[1] (member = holder, score = expiry in epoch ms on
-- the Redis server's clock) if fewer than ARGV[2] holders have a live lease or this holder already has one. The
-- lease lives ARGV[3] ms; the set expires with its last lease. Returns 1 if the holder now has a live lease.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ttl = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
    return 0
  end
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl then
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return 1
