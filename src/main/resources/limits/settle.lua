-- Settlement: the real usage replaces the reservation. Unused tokens and dollars are refunded, an
-- overrun (a stream longer than its estimate) is charged; the concurrency lease is released.
-- KEYS as at admission. ARGV[1] request id, ARGV[2] token delta (real - reserved), ARGV[3] micro-dollar
-- delta, ARGV[4] the admission's day, ARGV[5] its month, then per scope 3 values: its tokens/min limit,
-- and whether it has a daily and a monthly budget (-1: none; the scope's <base>:pol overrides win, as at
-- admission).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rid, dtok, dusd, day, month = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]
for i = 1, #KEYS do
  local b = KEYS[i]
  local o = 5 + (i - 1) * 3
  local cap, dpd, dpm = tonumber(ARGV[o + 1]), tonumber(ARGV[o + 2]), tonumber(ARGV[o + 3])
  local pol = redis.call('HMGET', b .. ':pol', 'tpm', 'dpd', 'dpm')
  if pol[1] then cap = tonumber(pol[1]) end
  if pol[2] then dpd = tonumber(pol[2]) end
  if pol[3] then dpm = tonumber(pol[3]) end
  if cap >= 0 and dtok ~= 0 then
    local h = redis.call('HMGET', b .. ':tpm', 'v', 't')
    local v = cap
    if h[1] then v = math.min(cap, tonumber(h[1]) + (now - tonumber(h[2])) * cap / 60000) end
    v = math.min(cap, v - dtok)
    redis.call('HSET', b .. ':tpm', 'v', tostring(v), 't', now)
    redis.call('PEXPIRE', b .. ':tpm', math.ceil(120000 + math.max(0, -v) * 60000 / math.max(1, cap)))
  end
  redis.call('ZREM', b .. ':conc', rid)
  if dusd ~= 0 and dpd >= 0 then
    local dk = b .. ':d:' .. day
    if redis.call('INCRBY', dk, dusd) == dusd then redis.call('EXPIRE', dk, 2 * 86400) end
  end
  if dusd ~= 0 and dpm >= 0 then
    local mk = b .. ':m:' .. month
    if redis.call('INCRBY', mk, dusd) == dusd then redis.call('EXPIRE', mk, 32 * 86400) end
  end
end
return 1
