-- Adds ARGV[1] to the counter KEYS[1] only if the result stays within ARGV[2]; never partially.
-- A counter this call creates expires at ARGV[3] (epoch milliseconds) in the same atomic step, so no counter can
-- ever live without a TTL (the INCR-then-EXPIRE race). Returns {added (1|0), value}.
local amount = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current + amount > limit then
  return {0, current}
end
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
-- -1: the key has no expiry, which only a key created just now can lack.
if redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('PEXPIREAT', KEYS[1], ARGV[3])
end
return {1, value}
