package dev.ossaat.orchestrator.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Parses {@code auth:} and {@code limits:}. */
final class AccessConfigs {
  private static final Set<String> LIMIT_KEYS =
      Set.of("requestsPerMinute", "tokensPerMinute", "concurrentRequests", "dollarsPerDay", "dollarsPerMonth");

  private AccessConfigs() {}

  static AuthConfig auth(ConfigNode n) {
    n.allowOnly(Set.of("mode", "cacheTtl", "cacheMaxSize"));
    AuthConfig d = AuthConfig.DEFAULTS;
    String mode = n.string("mode", "headers").trim().toLowerCase(Locale.ROOT);
    AuthConfig.Mode m;
    if (mode.equals("headers")) {
      m = AuthConfig.Mode.HEADERS;
    } else if (mode.equals("keys")) {
      m = AuthConfig.Mode.KEYS;
    } else {
      throw new ConfigException(n.keyPath("mode"), "expected keys or headers, got '" + mode + "'");
    }
    Duration ttl = n.duration("cacheTtl", d.cacheTtl());
    if (ttl.isNegative() || ttl.toSeconds() > 300) throw new ConfigException(n.keyPath("cacheTtl"), "must be between 0s and 5m");
    return new AuthConfig(m, ttl, n.integer("cacheMaxSize", d.cacheMaxSize(), 1, 10_000_000));
  }

  static LimitsConfig limits(ConfigNode n, AuthConfig auth) {
    n.allowOnly(Set.of("enabled", "onRedisUnavailable", "replicas", "redisRetryInterval", "maxTokens", "maxTokensPolicy",
        "maxPromptTokens", "completionEstimate", "key", "user", "tenant", "tenants", "models"));
    LimitsConfig d = LimitsConfig.DEFAULTS;
    String policy = n.string("onRedisUnavailable", "open").trim().toLowerCase(Locale.ROOT);
    if (!policy.equals("open") && !policy.equals("closed")) {
      throw new ConfigException(n.keyPath("onRedisUnavailable"), "expected open or closed, got '" + policy + "'");
    }
    String clamp = n.string("maxTokensPolicy", "clamp").trim().toLowerCase(Locale.ROOT);
    if (!clamp.equals("clamp") && !clamp.equals("reject")) {
      throw new ConfigException(n.keyPath("maxTokensPolicy"), "expected clamp or reject, got '" + clamp + "'");
    }
    LimitSet key = set(n.child("key"));
    LimitSet user = set(n.child("user"));
    LimitSet tenant = set(n.child("tenant"));
    Map<String, LimitSet> tenants = sets(n.child("tenants"));
    Map<String, LimitSet> models = sets(n.child("models"));
    int maxTokens = n.integer("maxTokens", -1, 1, Integer.MAX_VALUE);
    long maxPrompt = n.integer("maxPromptTokens", -1, 1, Integer.MAX_VALUE);
    boolean anything = key.any() || user.any() || tenant.any() || !tenants.isEmpty() || !models.isEmpty() || maxTokens > 0
        || maxPrompt > 0;
    Duration retry = n.duration("redisRetryInterval", d.redisRetryInterval());
    if (retry.toMillis() < 10) throw new ConfigException(n.keyPath("redisRetryInterval"), "must be at least 10ms");
    return new LimitsConfig(n.bool("enabled", anything || auth.keys()),
        policy.equals("open") ? LimitsConfig.FailurePolicy.OPEN : LimitsConfig.FailurePolicy.CLOSED,
        n.integer("replicas", 1, 1, 10_000), retry, maxTokens,
        clamp.equals("clamp") ? LimitsConfig.MaxTokensPolicy.CLAMP : LimitsConfig.MaxTokensPolicy.REJECT, maxPrompt,
        n.integer("completionEstimate", d.completionEstimate(), 0, 10_000_000), key, user, tenant, tenants, models);
  }

  /** One scope's limits; absent keys are "no limit". */
  static LimitSet set(ConfigNode n) {
    if (n.isMissing()) return LimitSet.NONE;
    n.allowOnly(LIMIT_KEYS);
    return new LimitSet(n.integer("requestsPerMinute", -1, 0, Integer.MAX_VALUE),
        n.integer("tokensPerMinute", -1, 0, Integer.MAX_VALUE),
        n.integer("concurrentRequests", -1, 0, 1_000_000),
        n.decimal("dollarsPerDay", -1, 0), n.decimal("dollarsPerMonth", -1, 0));
  }

  private static Map<String, LimitSet> sets(ConfigNode n) {
    Map<String, LimitSet> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : n.entries().entrySet()) {
      if (!e.getValue().isSection()) throw new ConfigException(e.getValue().path(), "expected a section of limits");
      out.put(e.getKey(), set(e.getValue()));
    }
    return out;
  }
}
