-- Admission: check every bucket of every scope, then reserve in all of them, or in none.
-- Runs atomically on the Redis server, on its clock (TIME), so replicas with skewed clocks agree.
--
-- KEYS[i]   the base key of scope i (key, user, tenant, tenant+model), all under one hash tag
-- ARGV[1]   request id (its concurrency lease)        ARGV[2] tokens to reserve
-- ARGV[3]   micro-dollars to reserve                  ARGV[4] lease of a concurrency slot, ms
-- ARGV[5]   index of the tenant scope (for the budget gauge), 0 if none
-- then 5 per scope: requests/min, tokens/min, concurrent, micro-$/day, micro-$/month (-1: none);
-- a hash <base>:pol (the admin API's overrides) replaces any of them.
--
-- Buckets: <base>:rpm and <base>:tpm are token buckets {v = level, t = ms of last update} of
-- capacity C refilled at C per minute; <base>:conc a sorted set of leases scored by their expiry;
-- <base>:d:<day> and <base>:m:<yyyy-mm> spend counters in micro-dollars, kept for the scopes that have
-- that budget (a budget set later counts from then on; the ledger has the whole history). A request
-- larger than a whole bucket passes when the bucket is full. Scopes without limits cost one HMGET.
--
-- Returns {admitted, reason, scope, retry_ms, rpm_limit, rpm_remaining, rpm_reset_ms,
--          tpm_limit, tpm_remaining, tpm_reset_ms, day, month,
--          tenant_day_spent, tenant_day_cap, tenant_month_spent, tenant_month_cap} (numbers as strings).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rid = ARGV[1]
local tok = tonumber(ARGV[2])
local usd = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
local tenant = tonumber(ARGV[5])
local MIN = 60000

local function civil(days)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return y, m
end

local function days_from_civil(y, m)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5)
  return era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
end

local day = math.floor(now / 86400000)
local y, m = civil(day)
local month = string.format('%04d-%02d', y, m)
local ny, nm = y, m + 1
if nm > 12 then ny, nm = y + 1, 1 end
local to_day_end = (day + 1) * 86400000 - now
local to_month_end = days_from_civil(ny, nm) * 86400000 - now

local function level(key, cap)
  local h = redis.call('HMGET', key, 'v', 't')
  if not h[1] then return cap end
  local v = tonumber(h[1]) + (now - tonumber(h[2])) * cap / MIN
  if v > cap then v = cap end
  return v
end

local n = #KEYS
local lims, lv = {}, {}
local best_rpm, best_tpm = nil, nil
local tenant_spend = {'0', '-1', '0', '-1'}
for i = 1, n do
  local b = KEYS[i]
  local o = 5 + (i - 1) * 5
  local l = {tonumber(ARGV[o + 1]), tonumber(ARGV[o + 2]), tonumber(ARGV[o + 3]), tonumber(ARGV[o + 4]), tonumber(ARGV[o + 5])}
  local pol = redis.call('HMGET', b .. ':pol', 'rpm', 'tpm', 'conc', 'dpd', 'dpm')
  for j = 1, 5 do
    if pol[j] then l[j] = tonumber(pol[j]) end
  end
  lims[i] = l
  local s = {}
  if l[1] >= 0 then
    s.rpm = level(b .. ':rpm', l[1])
    if s.rpm < 1 or l[1] == 0 then
      local retry = l[1] == 0 and MIN or math.ceil((1 - s.rpm) * MIN / l[1])
      return {'0', 'requests', tostring(i), tostring(retry), tostring(l[1]), '0', tostring(retry), '-1', '-1', '0',
        tostring(day), month, '0', '-1', '0', '-1'}
    end
  end
  if l[2] >= 0 then
    s.tpm = level(b .. ':tpm', l[2])
    local need = math.min(tok, l[2])
    if s.tpm < need or l[2] == 0 then
      local retry = l[2] == 0 and MIN or math.ceil((need - s.tpm) * MIN / l[2])
      return {'0', 'tokens', tostring(i), tostring(retry), '-1', '-1', '0', tostring(l[2]),
        tostring(math.max(0, math.floor(s.tpm))), tostring(retry), tostring(day), month, '0', '-1', '0', '-1'}
    end
  end
  if l[3] >= 0 then
    redis.call('ZREMRANGEBYSCORE', b .. ':conc', '-inf', now)
    if redis.call('ZCARD', b .. ':conc') >= l[3] then
      return {'0', 'concurrency', tostring(i), '1000', '-1', '-1', '0', '-1', '-1', '0', tostring(day), month,
        '0', '-1', '0', '-1'}
    end
  end
  local dspent, mspent = 0, 0
  if l[4] >= 0 then dspent = tonumber(redis.call('GET', b .. ':d:' .. day) or '0') end
  if l[5] >= 0 then mspent = tonumber(redis.call('GET', b .. ':m:' .. month) or '0') end
  if i == tenant then tenant_spend = {tostring(dspent), tostring(l[4]), tostring(mspent), tostring(l[5])} end
  -- A budget admits while some of it is left: the overshoot is at most one request's cost per scope.
  if l[4] >= 0 and (dspent >= l[4]) then
    return {'0', 'daily_budget', tostring(i), tostring(to_day_end), '-1', '-1', '0', '-1', '-1', '0', tostring(day), month,
      tenant_spend[1], tenant_spend[2], tenant_spend[3], tenant_spend[4]}
  end
  if l[5] >= 0 and (mspent >= l[5]) then
    return {'0', 'monthly_budget', tostring(i), tostring(to_month_end), '-1', '-1', '0', '-1', '-1', '0', tostring(day),
      month, tenant_spend[1], tenant_spend[2], tenant_spend[3], tenant_spend[4]}
  end
  lv[i] = s
end

-- Every check passed: reserve everywhere.
local r = {'1', '', '0', '0', '-1', '-1', '0', '-1', '-1', '0', tostring(day), month}
for i = 1, n do
  local b, l, s = KEYS[i], lims[i], lv[i]
  if s.rpm then
    local v = s.rpm - 1
    redis.call('HSET', b .. ':rpm', 'v', tostring(v), 't', now)
    redis.call('PEXPIRE', b .. ':rpm', 2 * MIN)
    if best_rpm == nil or v < best_rpm[2] then best_rpm = {l[1], v} end
  end
  if s.tpm then
    local v = s.tpm - tok
    redis.call('HSET', b .. ':tpm', 'v', tostring(v), 't', now)
    redis.call('PEXPIRE', b .. ':tpm', math.ceil(2 * MIN + math.max(0, -v) * MIN / math.max(1, l[2])))
    if best_tpm == nil or v < best_tpm[2] then best_tpm = {l[2], v} end
  end
  if l[3] >= 0 then
    redis.call('ZADD', b .. ':conc', now + lease, rid)
    redis.call('PEXPIRE', b .. ':conc', 2 * lease)
  end
  if usd > 0 and l[4] >= 0 then
    local dk = b .. ':d:' .. day
    local d = redis.call('INCRBY', dk, usd)
    if d == usd then redis.call('EXPIRE', dk, 2 * 86400) end
    if i == tenant then tenant_spend[1] = tostring(d) end
  end
  if usd > 0 and l[5] >= 0 then
    local mk = b .. ':m:' .. month
    local mm = redis.call('INCRBY', mk, usd)
    if mm == usd then redis.call('EXPIRE', mk, 32 * 86400) end
    if i == tenant then tenant_spend[3] = tostring(mm) end
  end
end
if best_rpm then
  r[5] = tostring(best_rpm[1])
  r[6] = tostring(math.max(0, math.floor(best_rpm[2])))
  r[7] = tostring(math.ceil((best_rpm[1] - best_rpm[2]) * MIN / math.max(1, best_rpm[1])))
end
if best_tpm then
  r[8] = tostring(best_tpm[1])
  r[9] = tostring(math.max(0, math.floor(best_tpm[2])))
  r[10] = tostring(math.ceil((best_tpm[1] - best_tpm[2]) * MIN / math.max(1, best_tpm[1])))
end
for j = 1, 4 do r[12 + j] = tenant_spend[j] end
return r
