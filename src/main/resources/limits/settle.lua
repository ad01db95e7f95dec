-- Settlement: the real usage replaces the reservation. Unused tokens and dollars are refunded, an
-- overrun (a stream longer than its estimate) is charged; the concurrency lease is released.
-- KEYS as at admission. ARGV[1] request id, ARGV[2] token delta (real - reserved), ARGV[3] micro-dollar
-- delta, ARGV[4] the admission's day, ARGV[5] its month, then per scope the tokens/min limit (-1: none;
-- the scope's <base>:pol override wins, as at admission).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rid, dtok, dusd, day, month = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]
for i = 1, #KEYS do
  local b = KEYS[i]
  local cap = tonumber(ARGV[5 + i])
  local pol = redis.call('HGET', b .. ':pol', 'tpm')
  if pol then cap = tonumber(pol) end
  if cap >= 0 and dtok ~= 0 then
    local h = redis.call('HMGET', b .. ':tpm', 'v', 't')
    local v = cap
    if h[1] then v = math.min(cap, tonumber(h[1]) + (now - tonumber(h[2])) * cap / 60000) end
    v = math.min(cap, v - dtok)
    redis.call('HSET', b .. ':tpm', 'v', tostring(v), 't', now)
    redis.call('PEXPIRE', b .. ':tpm', math.ceil(120000 + math.max(0, -v) * 60000 / math.max(1, cap)))
  end
  redis.call('ZREM', b .. ':conc', rid)
  if dusd ~= 0 then
    local dk, mk = b .. ':d:' .. day, b .. ':m:' .. month
    redis.call('INCRBY', dk, dusd)
    redis.call('EXPIRE', dk, 2 * 86400)
    redis.call('INCRBY', mk, dusd)
    redis.call('EXPIRE', mk, 32 * 86400)
  end
end
return 1
