package dev.ossaat.orchestrator.routing;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.TestGateway;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoutingStrategyTest {
  private TestGateway gw;

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
  }

  private Map<String, Integer> served(int n, String model) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String p = gw.post("/v1/chat/completions", chat(model)).headers().firstValue("x-orchestrator-provider").orElseThrow();
      counts.merge(p, 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void weightedSplitsTrafficByWeightAndWeightZeroDrains() {
    gw = TestGateway.start("""
        routing: {strategy: weighted}
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small, weight: 3}
          b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small, weight: 1}
          c: {baseUrl: "${SIM:c}", apiKeyRequired: false, model: sim-small, weight: 0}
        """);
    Map<String, Integer> counts = served(400, "sim-small");
    assertThat(counts.getOrDefault("c", 0)).isZero();
    assertThat(counts.get("a") / 400.0).isBetween(0.65, 0.85);
    // A drained provider takes no traffic of its own, but is still a fallback.
    gw.simulate("a", "{\"fault\":\"error\",\"errorStatus\":500}");
    gw.simulate("b", "{\"fault\":\"error\",\"errorStatus\":500}");
    assertThat(served(3, "sim-small")).containsExactly(Map.entry("c", 3));
  }

  @Test
  void aModelCanUseItsOwnStrategy() {
    gw = TestGateway.start("""
        routing:
          models:
            sim-large: {strategy: lowest_latency}
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small, models: [sim-small, sim-large]}
          b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small, models: [sim-small, sim-large]}
        """);
    gw.simulate("a", "{\"latencyMs\":150}");
    served(4, "sim-large"); // both get measured (an unmeasured provider is tried first)
    Map<String, Integer> counts = served(10, "sim-large");
    assertThat(counts.getOrDefault("b", 0)).isEqualTo(10);
    assertThat(served(3, "sim-small")).containsEntry("a", 3); // preference order for the other model
  }

  @Test
  void leastInflightSpreadsConcurrentRequests() throws Exception {
    gw = TestGateway.start("""
        routing: {strategy: least_inflight}
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
          b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small}
        """);
    gw.simulate("a", "{\"latencyMs\":600}");
    gw.simulate("b", "{\"latencyMs\":600}");
    var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", chat("sim-small")));
    org.awaitility.Awaitility.await().until(() -> gw.simStats("a").path("inFlight").asInt() == 1);
    var second = gw.post("/v1/chat/completions", chat("sim-small"));
    assertThat(first.join().headers().firstValue("x-orchestrator-provider")).hasValue("a");
    assertThat(second.headers().firstValue("x-orchestrator-provider")).hasValue("b");
  }
}
