package dev.ossaat.orchestrator.telemetry;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.data.Offset.offset;

import dev.ossaat.orchestrator.testkit.Metrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each runbook metric has the value a known sequence of requests implies. */
class MetricsTest {
  private TestGateway gw;

  @BeforeEach
  void start() {
    gw = TestGateway.start("""
        metrics: {maxTenants: 2, maxUsers: 2}
        cache: {enabled: true}
        providers:
          alpha:
            baseUrl: "${SIM:alpha}"
            apiKeyRequired: false
            model: sim-small
            models: [sim-small, sim-free]
            pricing: {sim-small: {prompt: 3.0, completion: 6.0}}
          beta: {baseUrl: "${SIM:beta}", apiKeyRequired: false, model: sim-small, timeout: 300ms}
        """, java.util.Map.of("PROVIDER_PREFERENCE", "beta,alpha"));
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  private HttpResponse<String> complete(String model, String tenant, String user, String salt) {
    String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + salt + "\"}]}";
    return gw.post("/v1/chat/completions", body, "x-tenant-id", tenant, "x-user-id", user);
  }

  @Test
  void aKnownSequenceGivesExactValues() {
    gw.simulate("beta", "{\"fault\":\"hang\",\"faultCount\":1}"); // the first request times out on beta
    assertThat(complete("sim-small", "acme", "ann", "one").statusCode()).isEqualTo(200);  // beta timeout -> alpha
    assertThat(complete("sim-small", "acme", "ann", "two").statusCode()).isEqualTo(200);  // beta
    assertThat(complete("sim-small", "acme", "ann", "two").statusCode()).isEqualTo(200);  // cache hit
    assertThat(complete("sim-free", "acme", "bob", "three").statusCode()).isEqualTo(200); // alpha, unpriced

    Metrics m = gw.metrics();
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "beta", "status", "error", "error_type", "timeout", "tenant_id", "acme")).isEqualTo(1);
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "beta", "status", "success")).isEqualTo(1);
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "alpha", "status", "success", "model", "sim-small")).isEqualTo(1);
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "alpha", "status", "success", "model", "sim-free")).isEqualTo(1);
    assertThat(m.sum("orchestrator_provider_requests_total")).isEqualTo(4);
    assertThat(m.sum("orchestrator_provider_timeouts_total", "provider", "beta", "model", "sim-small")).isEqualTo(1);
    assertThat(m.sum("orchestrator_provider_retries_total", "provider", "beta", "model", "sim-small", "reason", "timeout")).isEqualTo(1);
    assertThat(m.sum("orchestrator_provider_latency_seconds_count", "operation", "chat")).isEqualTo(4);
    assertThat(m.sum("orchestrator_provider_latency_seconds_bucket", "provider", "beta", "le", "0.25")).isEqualTo(1);
    assertThat(m.sum("orchestrator_provider_latency_seconds_bucket", "provider", "beta", "le", "+Inf")).isEqualTo(2);

    // Three provider answers of 10 prompt + 20 completion tokens; the cache hit costs nothing.
    assertThat(m.sum("orchestrator_provider_tokens_total", "type", "prompt")).isEqualTo(30);
    assertThat(m.sum("orchestrator_provider_tokens_total", "type", "completion")).isEqualTo(60);
    assertThat(m.sum("orchestrator_provider_tokens_total", "user_id", "bob", "tenant_id", "acme")).isEqualTo(30);
    // alpha's sim-small is priced at $3/$6 per million; beta has no price for it, sim-free none anywhere.
    assertThat(m.sum("orchestrator_provider_cost_dollars_total", "provider", "alpha", "model", "sim-small", "tenant_id", "acme"))
        .isCloseTo((10 * 3.0 + 20 * 6.0) / 1e6, offset(1e-12));
    assertThat(m.sum("orchestrator_provider_unpriced_requests_total", "provider", "beta", "model", "sim-small")).isEqualTo(1);
    assertThat(m.sum("orchestrator_provider_unpriced_requests_total", "provider", "alpha", "model", "sim-free")).isEqualTo(1);

    assertThat(m.sum("orchestrator_provider_cache_hits_total", "model", "sim-small")).isEqualTo(1);
    assertThat(m.sum("orchestrator_provider_cache_misses_total")).isEqualTo(3);
    // One breaker series per provider, labelled provider only: 0 closed, 1 open, 2 half-open.
    assertThat(m.samples("orchestrator_provider_circuit_breaker_state"))
        .extracting(s -> s.labels().toString(), Metrics.Sample::value)
        .containsExactlyInAnyOrder(tuple("{provider=beta}", 0.0), tuple("{provider=alpha}", 0.0));
    assertThat(m.sum("orchestrator_inflight_requests")).isZero();
    assertThat(m.sum("orchestrator_http_requests_total", "route", "chat_completions", "code", "200")).isEqualTo(4);
    assertThat(m.has("jvm_memory_used_bytes")).isTrue();
    assertThat(m.has("process_cpu_seconds_total")).isTrue();
  }

  @Test
  void identityLabelsAreBoundedWithAnOverflowValue() {
    for (String tenant : new String[] {"t1", "t2", "t3", "t4"}) {
      assertThat(complete("sim-small", tenant, "u-" + tenant, tenant).statusCode()).isEqualTo(200);
    }
    assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(200); // no identity headers
    assertThat(gw.post("/v1/chat/completions", chat("made-up-model-1")).statusCode()).isEqualTo(200);
    Metrics m = gw.metrics();
    assertThat(m.samples("orchestrator_provider_requests_total")).extracting(s -> s.labels().get("tenant_id"))
        .containsOnly("t1", "t2", "other", "default");
    assertThat(m.sum("orchestrator_provider_requests_total", "tenant_id", "other")).isEqualTo(2);
    assertThat(m.samples("orchestrator_provider_tokens_total")).extracting(s -> s.labels().get("user_id"))
        .containsOnly("u-t1", "u-t2", "other", "anonymous");
  }

  @Test
  void openMetricsIsServedWhenAskedFor() {
    HttpResponse<String> r = gw.get("/metrics", "accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/openmetrics-text");
    assertThat(r.body()).contains("# EOF");
    HttpResponse<String> text = gw.get("/metrics");
    assertThat(text.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
  }

  @Test
  void promtoolAcceptsTheExposition() throws Exception {
    complete("sim-small", "acme", "ann", "x");
    gw.post("/v1/chat/completions", "{bad json");
    Path file = Files.createTempFile("metrics", ".txt");
    Files.writeString(file, gw.get("/metrics").body());
    Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile()).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    // promtool lints too; only real problems (not naming advice about the JVM's own metrics) fail the test.
    assertThat(out.lines().filter(l -> l.contains("orchestrator_")).toList()).isEmpty();
    assertThat(p.exitValue()).as(out).isIn(0, 3);
    Files.deleteIfExists(file);
  }
}
