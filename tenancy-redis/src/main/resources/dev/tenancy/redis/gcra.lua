-- One GCRA step on the Redis server's clock, so that clock skew between app instances cannot change the rate.
-- KEYS[1] holds the theoretical arrival time (TAT) in microseconds. ARGV: emission interval (µs), burst tolerance
-- (µs), permits. Returns {allowed (1|0), retryAfter (µs), resetAfter (µs)}. A refusal writes nothing.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local permits = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then
  tat = now
end
-- The last of the permits conforms when its own arrival time, tat + (permits - 1) * interval, is no more than the
-- tolerance ahead of now: a full bucket admits exactly burst = tolerance / interval + 1 permits at once.
local allow_at = tat + (permits - 1) * interval - tolerance
if allow_at > now then
  return {0, allow_at - now, tat - now}
end
local new_tat = tat + permits * interval
-- The key lives exactly until the bucket is full again; '%.0f' keeps all 16 digits (tostring would round to 14).
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
return {1, 0, new_tat - now}
