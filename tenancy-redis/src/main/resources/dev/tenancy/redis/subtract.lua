-- Takes ARGV[1] back from the counter KEYS[1], never below zero. DECRBY keeps the key's expiry; an absent counter
-- stays absent (creating it here would create a key without a TTL). Returns the value afterwards.
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current <= 0 then
  return 0
end
return redis.call('DECRBY', KEYS[1], math.min(current, tonumber(ARGV[1])))
