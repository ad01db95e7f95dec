package dev.ossaat.orchestrator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client's {@code Cache-Control} per request: {@code no-cache} gets a fresh answer (and refreshes
 * the entry), {@code no-store} is neither answered from nor written to the cache; both say
 * {@code x-orchestrator-cache: bypass}.
 */
class CacheControlTest {
  private TestGateway gw;

  @BeforeEach
  void start() {
    gw = TestGateway.start("""
        cache: {enabled: true, ttl: 300s}
        providers:
          sim: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: sim-small}
        """);
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  private HttpResponse<String> ask(String... headers) {
    return gw.post("/v1/chat/completions", TestGateway.chat("sim-small"), headers);
  }

  private static String cache(HttpResponse<String> r) {
    return r.headers().firstValue("x-orchestrator-cache").orElse("none");
  }

  @Test
  void noStoreNeitherReadsNorWrites() {
    gw.simulate("s", "{\"content\":\"first\"}");
    HttpResponse<String> r = ask("cache-control", "no-store");
    assertThat(cache(r)).isEqualTo("bypass");
    assertThat(cache(ask())).as("nothing was stored").isEqualTo("miss");
    assertThat(cache(ask())).isEqualTo("hit");
    gw.simulate("s", "{\"content\":\"second\"}");
    HttpResponse<String> fresh = ask("Cache-Control", "max-age=600, no-store");
    assertThat(cache(fresh)).isEqualTo("bypass");
    assertThat(fresh.body()).contains("second"); // not the cached "first"
    assertThat(ask().body()).contains("first"); // the entry is as it was
  }

  @Test
  void noCacheGetsAFreshAnswerAndRefreshesTheEntry() {
    gw.simulate("s", "{\"content\":\"old answer\"}");
    assertThat(cache(ask())).isEqualTo("miss");
    gw.simulate("s", "{\"content\":\"new answer\"}");
    HttpResponse<String> fresh = ask("cache-control", "no-cache");
    assertThat(cache(fresh)).isEqualTo("bypass");
    assertThat(fresh.body()).contains("new answer");
    HttpResponse<String> after = ask();
    assertThat(cache(after)).isEqualTo("hit");
    assertThat(after.body()).contains("new answer");
    assertThat(gw.simStats("s").path("chatRequests").asInt()).isEqualTo(2);
  }
}
