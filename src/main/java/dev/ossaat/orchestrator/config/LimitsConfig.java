package dev.ossaat.orchestrator.config;

import java.time.Duration;
import java.util.Map;

/**
 * Caller limits and budgets ({@code limits:}), enforced in Redis so every replica shares one count.
 *
 * @param enabled whether caller limits are checked at all (default: when the section sets any limit, or
 *     when {@code auth.mode} is {@code keys}, since keys may carry limits of their own)
 * @param onRedisUnavailable {@code open}: decide on local per-replica limits (each limit divided by
 *     {@code replicas}); {@code closed}: refuse with 503 until Redis answers again
 * @param replicas how many replicas share the limits, for the open policy's local shares
 * @param redisRetryInterval after a failed Redis call, how long the replica decides locally before it
 *     tries Redis again (so an outage costs each request nothing, not a command timeout each)
 * @param maxTokens the largest {@code max_tokens} a request may ask for, or -1
 * @param maxTokensPolicy {@code clamp} (lower it to {@code maxTokens}) or {@code reject} (400)
 * @param maxPromptTokens the largest prompt (our estimate), or -1
 * @param completionEstimate tokens reserved for the answer of a request that names no {@code max_tokens}
 * @param key the default limits of every key (a key's own limits override them)
 * @param user the default limits of every user within a tenant
 * @param tenant the default limits of every tenant
 * @param tenants per-tenant limits over {@code tenant}
 * @param models per tenant and model: limits on one tenant's use of one model
 */
public record LimitsConfig(boolean enabled, FailurePolicy onRedisUnavailable, int replicas, Duration redisRetryInterval,
    int maxTokens, MaxTokensPolicy maxTokensPolicy, long maxPromptTokens, int completionEstimate, LimitSet key, LimitSet user,
    LimitSet tenant, Map<String, LimitSet> tenants, Map<String, LimitSet> models) {
  public enum FailurePolicy {
    OPEN, CLOSED
  }

  public enum MaxTokensPolicy {
    CLAMP, REJECT
  }

  public static final LimitsConfig DEFAULTS = new LimitsConfig(false, FailurePolicy.OPEN, 1, Duration.ofSeconds(1), -1,
      MaxTokensPolicy.CLAMP, -1, 1024, LimitSet.NONE, LimitSet.NONE, LimitSet.NONE, Map.of(), Map.of());

  public LimitsConfig {
    tenants = Map.copyOf(tenants);
    models = Map.copyOf(models);
  }

  public LimitSet tenantLimits(String tenantId) {
    return tenant.with(tenants.get(tenantId));
  }
}
