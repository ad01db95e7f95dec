package dev.ossaat.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small sections bound through Jackson, their inheritance, and the names reserved for shared settings. */
class ConfigSectionsTest {
  private static ConfigLoader loader(String... env) {
    Map<String, String> map = new HashMap<>();
    map.put("ORCHESTRATOR_SECRETS_DIR", "/nonexistent");
    for (int i = 0; i < env.length; i += 2) map.put(env[i], env[i + 1]);
    return new ConfigLoader(map);
  }

  @Test
  void aProviderNamedLikeASharedSettingIsRefused() {
    assertThatThrownBy(() -> loader().parseText("""
        providers:
          retry:
            baseUrl: https://retry.example.com/v1
            apiKey: k
            model: m
        """, "t"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("providers.retry: 'retry' is reserved for the retry settings every provider inherits, but this "
            + "section has provider keys (apiKey, baseUrl, model); a provider needs another name, and its retry "
            + "settings go inside it");
    assertThatThrownBy(() -> loader().parseText("providers: {batching: {baseUrl: 'https://b/v1', maxBatchSize: 2}}", "t"))
        .hasMessage("providers.batching: 'batching' is reserved for the request batching settings, but this section has "
            + "provider keys (baseUrl); a provider needs another name");
    for (String reserved : List.of("connectionPool", "circuitBreaker", "admission")) {
      assertThatThrownBy(() -> loader().parseText("providers: {" + reserved + ": {type: openai, enabled: true}}", "t"))
          .hasMessageStartingWith("providers." + reserved + ": '" + reserved + "' is reserved for the " + reserved
              + " settings every provider inherits")
          .hasMessageContaining("type")
          .hasMessageContaining("a provider needs another name");
    }
    // batching has an enabled key of its own, circuitBreaker a timeout: those alone are shared settings.
    OrchestratorConfig c = loader().parseText("providers: {batching: {enabled: true}, circuitBreaker: {timeout: 5s}}", "t");
    assertThat(c.batching().enabled()).isTrue();
    assertThat(c.providers()).isEmpty();
  }

  @Test
  void sharedSectionsAcceptOnlyTheirOwnKeysAndSaySo() {
    assertThatThrownBy(() -> loader().parseText("providers: {retry: {maxAtempts: 3}}", "t"))
        .hasMessage("providers.retry.maxAtempts: unknown key (providers.retry holds the retry settings every provider "
            + "inherits, it cannot name a provider; known keys here: initialBackoff, maxAttempts, maxBackoff, maxRetryAfter)");
    assertThatThrownBy(() -> loader().parseText("providers: {openai: {apiKey: k, retry: {maxAtempts: 3}}}", "t"))
        .hasMessage("providers.openai.retry.maxAtempts: unknown key (known keys here: initialBackoff, maxAttempts, "
            + "maxBackoff, maxRetryAfter)");
  }

  @Test
  void boundSectionsNameTheFullKeyPathAndKeepTheValueSyntax() {
    assertThatThrownBy(() -> loader().parseText("providers: {openai: {apiKey: k, connectionPool: {idleTimeout: soon}}}", "t"))
        .hasMessage("providers.openai.connectionPool.idleTimeout: expected a duration such as 100ms, 30s, 1m or 2h, got 'soon'");
    assertThatThrownBy(() -> loader().parseText("providers: {admission: {maxQueued: lots}}", "t"))
        .hasMessage("providers.admission.maxQueued: expected a whole number, got 'lots'");
    assertThatThrownBy(() -> loader().parseText("providers: {admission: {maxQueued: 1.5}}", "t"))
        .hasMessage("providers.admission.maxQueued: expected a whole number, got '1.5'");
    assertThatThrownBy(() -> loader().parseText("providers: {openai: {apiKey: k, retry: {maxAttempts: 11}}}", "t"))
        .hasMessage("providers.openai.retry.maxAttempts: must be between 1 and 10, got 11");
    assertThatThrownBy(() -> loader().parseText("health: {probes: {interval: 0s}}", "t"))
        .hasMessage("health.probes.interval: must be greater than zero");
    assertThatThrownBy(() -> loader().parseText("health: {probes: {intervall: 5s}}", "t"))
        .hasMessageStartingWith("health.probes.intervall: unknown key (known keys here: enabled, interval, timeout)");
    assertThatThrownBy(() -> loader().parseText("reload: {interval: 50ms}", "t"))
        .hasMessage("reload.interval: must be at least 100ms");
    assertThatThrownBy(() -> loader().parseText("cache: {maxSize: {a: 1}}", "t"))
        .hasMessage("cache.maxSize: expected a whole number, got a section");
    assertThatThrownBy(() -> loader().parseText("providers: {circuitBreaker: {countRateLimits: [a]}}", "t"))
        .hasMessage("providers.circuitBreaker.countRateLimits: expected true or false, got a list");

    // Values substituted from the environment arrive as text; an empty one means "not set".
    OrchestratorConfig c = loader("POOL", "12", "RL", "no", "TTL", "90", "EMPTY", "").parseText("""
        providers:
          circuitBreaker: {countRateLimits: "${RL}", threshold: "${EMPTY}"}
          a: {baseUrl: "http://127.0.0.1:1/v1", apiKeyRequired: false, connectionPool: {maxConnections: "${POOL}"}}
        cache: {ttl: "${TTL}", maxSize: "${EMPTY}"}
        reload: {enabled: off, interval: 250ms}
        health: {probes: {enabled: yes, interval: 1m}}
        """, "t");
    ProviderConfig a = c.provider("a").orElseThrow();
    assertThat(a.connectionPool().maxConnections()).isEqualTo(12);
    assertThat(a.connectionPool().maxIdleConnections()).isEqualTo(10);
    assertThat(a.admission().maxConcurrent()).isEqualTo(12); // follows the pool's size
    assertThat(a.circuitBreaker()).isEqualTo(new CircuitBreakerConfig(5, Duration.ofSeconds(60), 3, false));
    assertThat(c.cache().ttl()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.cache().maxSize()).isEqualTo(CacheConfig.DEFAULTS.maxSize());
    assertThat(c.reload()).isEqualTo(new ReloadConfig(false, Duration.ofMillis(250)));
    assertThat(c.probes()).isEqualTo(new ProbeConfig(true, Duration.ofMinutes(1), Duration.ofSeconds(5)));
  }

  @Test
  void perProviderSectionsInheritEveryUnsetKeyFromTheSharedOnes() {
    OrchestratorConfig c = loader().parseText("""
        providers:
          retry: {maxAttempts: 4, initialBackoff: 50ms}
          circuitBreaker: {threshold: 9, countRateLimits: false}
          admission: {maxQueued: 7, maxWait: 1s}
          a:
            baseUrl: http://127.0.0.1:1/v1
            apiKeyRequired: false
            retry: {maxBackoff: 5s}
            circuitBreaker: {timeout: 10s}
            admission: {maxConcurrent: 3}
        """, "t");
    ProviderConfig a = c.provider("a").orElseThrow();
    assertThat(a.retry()).isEqualTo(new RetryConfig(4, Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(10)));
    assertThat(a.circuitBreaker()).isEqualTo(new CircuitBreakerConfig(9, Duration.ofSeconds(10), 3, false));
    assertThat(a.admission()).isEqualTo(new AdmissionConfig(3, 7, Duration.ofSeconds(1)));
  }
}
