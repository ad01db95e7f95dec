package dev.ossaat.orchestrator.resilience;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ossaat.orchestrator.testkit.LogCapture;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config and credential changes apply without a restart; a bad file never replaces a good config. */
class ReloadTest {
  private static final String BASE = """
      reload: {interval: 200ms}
      routing: {preference: [a, b]}
      providers:
        a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
        b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small}
      """;
  @TempDir Path dir;
  private TestGateway gw;

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
  }

  private String servedBy() {
    return gw.post("/v1/chat/completions", chat("sim-small")).headers().firstValue("x-orchestrator-provider").orElse("none");
  }

  @Test
  void aChangedFileAppliesAndABadOneIsRejected() {
    gw = TestGateway.startWatching(BASE, Map.of(), dir.resolve("orchestrator.yaml"));
    assertThat(servedBy()).isEqualTo("a");

    gw.rewrite(BASE.replace("preference: [a, b]", "preference: [b, a]"));
    await().atMost(Duration.ofSeconds(5)).until(() -> servedBy().equals("b"));

    try (LogCapture log = new LogCapture()) {
      gw.rewrite("providers: {b: {timout: 3s}}");
      await().atMost(Duration.ofSeconds(5)).until(() -> !log.grep("ERROR", "config reload rejected").isEmpty());
      assertThat(log.grep("config reload rejected").get(0)).contains("providers.b.timout: unknown key");
      assertThat(servedBy()).isEqualTo("b"); // the running config stays
    }

    gw.rewrite(BASE.replace("a: {baseUrl", "a: {enabled: false, baseUrl").replace("preference: [a, b]", "preference: [a, b]"));
    await().atMost(Duration.ofSeconds(5)).until(() -> !gw.gateway.config().provider("a").orElseThrow().enabled());
    assertThat(servedBy()).isEqualTo("b");
    assertThat(gw.get("/v1/models").body()).contains("\"owned_by\":\"b\"").doesNotContain("\"owned_by\":\"a\"");
  }

  @Test
  void aReloadThatWouldLeaveNothingToRouteToIsRejected() {
    gw = TestGateway.startWatching(BASE, Map.of(), dir.resolve("orchestrator.yaml"));
    assertThat(servedBy()).isEqualTo("a");
    try (LogCapture log = new LogCapture()) {
      gw.rewrite(""); // a file truncated to nothing
      await().atMost(Duration.ofSeconds(5)).until(() -> !log.grep("ERROR", "config reload rejected").isEmpty());
      assertThat(log.grep("config reload rejected").get(0)).contains("leaves no provider to route to (none are configured)");
      assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(200);

      gw.rewrite(BASE.replace("a: {baseUrl", "a: {enabled: false, baseUrl").replace("b: {baseUrl", "b: {enabled: false, baseUrl"));
      await().atMost(Duration.ofSeconds(5)).until(() -> !log.grep("ERROR", "is enabled with its credential").isEmpty());
      assertThat(servedBy()).isEqualTo("a"); // the running config stays
      assertThat(gw.gateway.config().provider("a").orElseThrow().enabled()).isTrue();
    }
  }

  @Test
  void requestsUnderWayWhenAReloadReplacesOrRemovesTheirProviderStillGetAnAnswer() throws Exception {
    String yaml = """
        reload: {interval: 200ms}
        providers:
          retry: {maxAttempts: 1}
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small, timeout: 30s, admission: {maxConcurrent: 1}}
          b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small}
        """;
    gw = TestGateway.startWatching(yaml, Map.of(), dir.resolve("orchestrator.yaml"));
    gw.simulate("a", "{\"latencyMs\":1500}");
    var slow = java.util.concurrent.CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", chat("sim-small")));
    await().until(() -> gw.simStats("a").path("inFlight").asInt() == 1);
    var queued = java.util.concurrent.CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", chat("sim-small")));
    await().until(() -> gw.metrics().sum("orchestrator_queue_depth", "queue", "a") == 1);
    gw.rewrite(yaml.replace("timeout: 30s", "timeout: 31s")); // a's adapter is replaced while both wait on it
    assertThat(slow.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(queued.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    gw.simulate("a", "{}");
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway.config().provider("a").orElseThrow().timeouts().total().toSeconds() == 31);
    assertThat(servedBy()).isEqualTo("a"); // the replaced adapter's slot was given back

    gw.simulate("a", "{\"latencyMs\":3000,\"fault\":\"error\",\"errorStatus\":500}");
    var failing = java.util.concurrent.CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", chat("sim-small")));
    await().until(() -> gw.simStats("a").path("inFlight").asInt() == 1);
    gw.rewrite(yaml.replace("b: {baseUrl", "b: {enabled: false, baseUrl")); // its fallback disappears meanwhile
    await().atMost(Duration.ofSeconds(5)).until(() -> !gw.gateway.config().provider("b").orElseThrow().enabled());
    var answer = failing.get(10, java.util.concurrent.TimeUnit.SECONDS);
    // a's own failure is what the client hears of, not the fallback the reload took away
    assertThat(answer.statusCode()).isEqualTo(502);
    assertThat(answer.body()).contains("provider a failed").doesNotContain("removed by a config reload");
    assertThat(answer.headers().firstValue("x-orchestrator-provider")).hasValue("a");
    assertThat(gw.metrics().sum("orchestrator_inflight_requests")).isZero();
  }

  @Test
  void aReloadThatChangesOnlyPolicyKeepsTheProvidersWarmConnections() throws Exception {
    String yaml = """
        reload: {interval: 200ms}
        routing: {strategy: weighted}
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small, weight: 1, timeout: 30s}
        """;
    gw = TestGateway.startWatching(yaml, Map.of(), dir.resolve("orchestrator.yaml"));
    assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(200);
    long connections = simConnections();

    // weight, timeouts and prices are policy: the adapter and its pool stay
    gw.rewrite(yaml.replace("weight: 1, timeout: 30s", "weight: 5, timeout: 20s, pricing: {sim-small: {prompt: 1, completion: 2}}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway.config().provider("a").orElseThrow().weight() == 5);
    for (int i = 0; i < 3; i++) assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(200);
    assertThat(simConnections()).as("no new connection after a policy-only reload").isEqualTo(connections);

    // a header is part of the connection: a new pool
    gw.rewrite(yaml.replace("weight: 1, timeout: 30s", "weight: 5, headers: {x-extra: one}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> !gw.gateway.config().provider("a").orElseThrow().headers().isEmpty());
    assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(200);
    assertThat(simConnections()).isGreaterThan(connections);
  }

  private long simConnections() {
    var r = gw.send(java.net.http.HttpRequest.newBuilder(gw.simUri("/_sim/stats")).GET().build());
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("connections").asLong();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aReloadKeepsBreakerStateAndTheGaugesTrue() throws Exception {
    String yaml = """
        reload: {interval: 200ms}
        admin: {token: t0ken-for-tests}
        providers:
          retry: {maxAttempts: 1}
          circuitBreaker: {threshold: 2, timeout: 60s}
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
          b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small, weight: 1}
        """;
    gw = TestGateway.startWatching(yaml, Map.of(), dir.resolve("orchestrator.yaml"));
    gw.simulate("a", "{\"fault\":\"error\",\"errorStatus\":500}");
    servedBy();
    servedBy();
    assertThat(gw.metrics().sum("orchestrator_provider_circuit_breaker_state", "provider", "a")).isEqualTo(1);

    gw.rewrite(yaml.replace("weight: 1", "weight: 2")); // a change elsewhere
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway.config().provider("b").orElseThrow().weight() == 2);
    assertThat(gw.metrics().sum("orchestrator_provider_circuit_breaker_state", "provider", "a")).isEqualTo(1);

    gw.rewrite(yaml.replace("weight: 1", "weight: 2").replace("timeout: 60s", "timeout: 90s")); // the breaker's own settings
    await().atMost(Duration.ofSeconds(5)).until(() ->
        gw.gateway.config().provider("a").orElseThrow().circuitBreaker().timeout().toSeconds() == 90);
    assertThat(gw.metrics().sum("orchestrator_provider_circuit_breaker_state", "provider", "a")).isEqualTo(1);
    long calls = gw.simStats("a").path("requests").asLong();
    assertThat(servedBy()).isEqualTo("b");
    assertThat(gw.simStats("a").path("requests").asLong()).isEqualTo(calls);
  }

  @Test
  void aRotatedSecretFileIsPickedUpWithoutARestart() throws Exception {
    Path secrets = Files.createDirectory(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("A_API_KEY"), "sk-old-key-0001");
    gw = TestGateway.startWatching("""
        reload: {interval: 200ms}
        providers:
          retry: {maxAttempts: 1}
          a: {baseUrl: "${SIM:a}", model: sim-small}
        """, Map.of("ORCHESTRATOR_SECRETS_DIR", secrets.toString()), dir.resolve("orchestrator.yaml"));
    assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(200);
    assertThat(gw.simStats("a").path("lastAuthorization").asText()).isEqualTo("Bearer sk-old-key-0001");

    gw.simulate("a", "{\"requireApiKey\":\"sk-new-key-0002\"}"); // the provider revokes the old key
    assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(502);

    Path tmp = secrets.resolve("..new");
    Files.writeString(tmp, "sk-new-key-0002\n");
    Files.move(tmp, secrets.resolve("A_API_KEY"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.post("/v1/chat/completions", chat("sim-small")).statusCode() == 200);
    assertThat(gw.simStats("a").path("lastAuthorization").asText()).isEqualTo("Bearer sk-new-key-0002");
    assertThat(gw.get("/health/providers").body()).doesNotContain("sk-new-key-0002").doesNotContain("sk-old-key-0001");
  }
}
