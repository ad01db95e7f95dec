package dev.ossaat.orchestrator.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.secrets.Redactor;
import dev.ossaat.orchestrator.testkit.TestGateway;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A phase timeout whose timer fires far later than it was due says the gateway's own event loop was
 * stalled, not that the provider was slow: such a timeout is {@code internal} (never counted against
 * the provider), an on-time one a plain {@code timeout}.
 */
class GatewayLagTest {
  private final Vertx vertx = Vertx.vertx();
  private final UpstreamErrors errors = new UpstreamErrors("p", WireFormat.OPENAI, new Redactor(List.of()));

  @AfterEach
  void stop() {
    TestGateway.await(vertx.close());
  }

  @Test
  void aTimerDelayedByAStalledEventLoopIsTheGatewaysFault() {
    Context loop = vertx.getOrCreateContext();
    Promise<ProviderException> fired = Promise.promise();
    loop.runOnContext(v -> {
      CallControl control = new CallControl();
      control.onCancel(() -> fired.complete(control.reason()));
      errors.armTimeout(vertx, 50, "with a first byte", control);
      stall(1000); // the loop is busy long past the timer's due time: it can only fire late
    });
    ProviderException e = TestGateway.await(fired.future());
    assertThat(e.type()).isEqualTo(ErrorType.INTERNAL);
    assertThat(e.getMessage()).contains("event loop ran").contains("not held against the provider");
  }

  @Test
  void aTimerOnTimeIsTheProvidersTimeout() {
    Promise<ProviderException> fired = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      CallControl control = new CallControl();
      control.onCancel(() -> fired.complete(control.reason()));
      // 4 s timeout: a quarter of it (1 s) of lateness is tolerated, far beyond a loaded machine's jitter.
      errors.armTimeout(vertx, 4000, "with a first byte", control);
    });
    ProviderException e = TestGateway.await(fired.future());
    assertThat(e.type()).isEqualTo(ErrorType.TIMEOUT);
  }

  /** Busy-waits on the current thread: an event loop stalled by work, as under a burst. */
  private static void stall(long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }
}
