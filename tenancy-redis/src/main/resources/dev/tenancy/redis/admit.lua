-- A request's GCRA step (KEYS[1], as gcra.lua) and its counter increment by 1 (KEYS[2], as add_if_within.lua) as one
-- atomic decision, so that a request costs one round trip. Nothing is written unless both admit: a request refused by
-- the counter leaves the bucket untouched. Both keys carry the tenant's hash tag, so they live on one cluster slot.
-- ARGV: emission interval (µs), burst tolerance (µs), counter limit, counter expiry (epoch ms).
-- Returns {rateAllowed (1|0), retryAfter (µs), resetAfter (µs), counterAdded (1|0|-1 not tried), counterValue}.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then
  tat = now
end
local allow_at = tat - tolerance
if allow_at > now then
  return {0, allow_at - now, tat - now, -1, 0}
end
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if current + 1 > limit then
  -- Refused by the counter: the bucket keeps its TAT, so the refusal consumes nothing; resetAfter is unchanged.
  return {1, 0, tat - now, 0, current}
end
local new_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
local value = redis.call('INCRBY', KEYS[2], 1)
if redis.call('PTTL', KEYS[2]) == -1 then
  redis.call('PEXPIREAT', KEYS[2], ARGV[4])
end
return {1, 0, new_tat - now, 1, value}
