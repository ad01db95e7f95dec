package dev.ossaat.orchestrator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.codec.openai.OpenAiCodec;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.exchange.ClientRequest;
import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.health.HealthRegistry;
import dev.ossaat.orchestrator.health.HealthStatus;
import dev.ossaat.orchestrator.pipeline.Ingress;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.Completion;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.Provider;
import dev.ossaat.orchestrator.provider.ProviderCall;
import dev.ossaat.orchestrator.resilience.Deadline;
import dev.ossaat.orchestrator.resilience.Guards;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own faults never count against a provider: an adapter that throws (a bug of ours)
 * fails the attempt as {@code internal}, falls back, and leaves the provider's breaker closed and
 * its health untouched, however often it happens. The adapter here stands for a buggy one; the
 * dispatcher, breakers, admission queues, health and metrics are the real ones.
 */
class InternalFaultTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    TestGateway.await(vertx.close());
  }

  /** An adapter with a bug: every call throws before anything is sent. */
  private static final class BuggyAdapter implements Provider {
    @Override public String name() { return "buggy"; }
    @Override public WireFormat format() { return WireFormat.OPENAI; }
    @Override public boolean supports(Operation operation) { return true; }
    @Override public Future<Completion> complete(ProviderCall call) { throw new IllegalStateException("adapter bug"); }
    @Override public Future<ChatStream> stream(ProviderCall call) { throw new IllegalStateException("adapter bug"); }
    @Override public Future<Completion> embed(ProviderCall call) { throw new IllegalStateException("adapter bug"); }
    @Override public Future<Void> probe(long timeoutMillis) { return Future.succeededFuture(); }
    @Override public Future<Void> close(Duration grace) { return Future.succeededFuture(); }
  }

  @Test
  void anAdapterThatThrowsNeverOpensTheProvidersBreaker() throws Exception {
    OrchestratorConfig config = TestGateway.config("""
        providers:
          retry: {maxAttempts: 3}
          circuitBreaker: {threshold: 2, timeout: 60s}
          buggy: {baseUrl: "http://127.0.0.1:9/v1", apiKeyRequired: false, model: sim-small}
        """, Map.of(), s -> "unused");
    ProviderConfig buggyConfig = config.provider("buggy").orElseThrow();
    GatewayMetrics metrics = new GatewayMetrics();
    Guards guards = new Guards(vertx, metrics);
    guards.apply(config.routableProviders());
    HealthRegistry health = new HealthRegistry(config::providers, guards::breakerState);
    ProviderRegistry.Entry entry = new ProviderRegistry.Entry(buggyConfig, new BuggyAdapter());
    Dispatcher dispatcher = new Dispatcher(vertx, new AttemptRecorder(metrics, health), guards,
        name -> Optional.of(entry));
    List<Candidate> candidates = List.of(new Candidate(entry.adapter(), buggyConfig, "sim-small"));

    for (int i = 0; i < 5; i++) {
      Promise<DispatchFailure> failed = Promise.promise();
      vertx.runOnContext(v -> {
        RequestExchange ex = exchange(config);
        dispatcher.<Completion>dispatch(ex, candidates, Operation.CHAT, (c, call) -> c.provider().complete(call))
            .onComplete(ar -> failed.complete(ar.failed() ? (DispatchFailure) ar.cause() : null));
      });
      DispatchFailure failure = TestGateway.await(failed.future());
      assertThat(failure).isNotNull();
      assertThat(failure.last().type()).isEqualTo(ErrorType.INTERNAL);
      assertThat(failure.attempts()).as("an internal fault is not retried on the same provider").isEqualTo(1);
    }
    assertThat(guards.breakerState("buggy")).isEqualTo("closed");
    assertThat(health.statuses().get("buggy")).isNotEqualTo(HealthStatus.UNHEALTHY);
    assertThat(metrics.requests.labelValues("buggy", "sim-small", "error", "internal", "default").get()).isEqualTo(5);
  }

  private RequestExchange exchange(OrchestratorConfig config) {
    Buffer raw = Buffer.buffer(TestGateway.chat("sim-small"));
    RequestExchange ex = new RequestExchange("test", Ingress.CHAT_COMPLETIONS, OpenAiCodec.INSTANCE, raw, h -> null, config,
        vertx, Deadline.in(Duration.ofSeconds(5)), false);
    ex.request(new ClientRequest(WireFormat.OPENAI, Operation.CHAT,
        dev.ossaat.orchestrator.codec.Json.parseObject(raw), raw, "sim-small", false, OpenAiCodec.INSTANCE::decodeRequest));
    ex.modelLabel("sim-small");
    return ex;
  }
}
