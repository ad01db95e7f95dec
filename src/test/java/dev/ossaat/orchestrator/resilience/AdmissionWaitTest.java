package dev.ossaat.orchestrator.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ossaat.orchestrator.config.AdmissionConfig;
import dev.ossaat.orchestrator.testkit.ManualClock;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admission queue's waiting on a manual clock: a waiter is refused after exactly {@code maxWait}
 * (or what is left of its deadline), and the wait it is granted after is the one measured.
 */
class AdmissionWaitTest {
  private final Vertx vertx = Vertx.vertx();
  private final ManualClock clock = new ManualClock();
  private final Gauge depth = Gauge.builder().name("test_queue_depth").build();
  private final Histogram wait = Histogram.builder().name("test_queue_wait_seconds").build();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private AdmissionQueue queue(int maxConcurrent, int maxQueued, Duration maxWait) {
    return new AdmissionQueue(vertx, clock, new AdmissionConfig(maxConcurrent, maxQueued, maxWait), depth, wait);
  }

  private Deadline plenty() {
    return Deadline.in(Duration.ofMinutes(10), clock);
  }

  /** Waits (in real time, generously) for an outcome that is delivered on an event loop. */
  private static <T> T result(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> f) {
    try {
      result(f);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a refusal, got a permit");
  }

  @Test
  void aWaiterIsRefusedAfterExactlyMaxWait() throws Exception {
    AdmissionQueue q = queue(1, 5, Duration.ofMillis(200));
    AdmissionQueue.Permit held = result(q.acquire(plenty()));
    Future<AdmissionQueue.Permit> waiting = q.acquire(plenty());
    assertThat(q.queued()).isEqualTo(1);
    assertThat(depth.get()).isEqualTo(1);

    clock.advanceMillis(199);
    assertThat(q.queued()).isEqualTo(1);
    assertThat(waiting.isComplete()).isFalse();

    clock.advanceMillis(1);
    assertThat(failure(waiting)).isInstanceOf(AdmissionQueue.Rejected.class).hasMessage("waited 200 ms for a free slot");
    assertThat(q.queued()).isZero();
    assertThat(depth.get()).isZero();
    held.release();
    assertThat(q.active()).isZero();
  }

  @Test
  void aWaiterNeverWaitsPastItsDeadline() throws Exception {
    AdmissionQueue q = queue(1, 5, Duration.ofSeconds(5));
    result(q.acquire(plenty()));
    Future<AdmissionQueue.Permit> waiting = q.acquire(Deadline.in(Duration.ofMillis(120), clock));
    clock.advanceMillis(119);
    assertThat(waiting.isComplete()).isFalse();
    clock.advanceMillis(1);
    assertThat(failure(waiting)).hasMessage("waited 120 ms for a free slot");
  }

  @Test
  void aFreedSlotGoesToTheFirstWaiterAndItsWaitIsMeasuredOnTheClock() throws Exception {
    AdmissionQueue q = queue(1, 5, Duration.ofMillis(500));
    AdmissionQueue.Permit held = result(q.acquire(plenty()));
    Future<AdmissionQueue.Permit> first = q.acquire(plenty());
    clock.advanceMillis(100);
    Future<AdmissionQueue.Permit> second = q.acquire(plenty());
    clock.advanceMillis(150);
    held.release();
    AdmissionQueue.Permit granted = result(first);
    assertThat(q.active()).isEqualTo(1);
    assertThat(q.queued()).isEqualTo(1);
    var data = wait.collect().getDataPoints().get(0);
    assertThat(data.getCount()).isEqualTo(2); // the one admitted at once, and the first waiter
    assertThat(data.getSum()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-9));

    clock.advanceMillis(349); // the second waiter has waited 499 ms
    assertThat(second.isComplete()).isFalse();
    clock.advanceMillis(1);
    assertThat(failure(second)).hasMessage("waited 500 ms for a free slot");
    clock.advance(Duration.ofMinutes(1)); // the granted waiter's timer was cancelled with its grant
    assertThat(clock.pendingTimers()).isZero();
    granted.release();
    granted.release(); // idempotent
    assertThat(q.active()).isZero();
  }

  @Test
  void noTimeLeftOrNoRoomLeftIsARefusalAtOnce() throws Exception {
    AdmissionQueue q = queue(1, 1, Duration.ofSeconds(5));
    result(q.acquire(plenty()));
    Deadline spent = Deadline.in(Duration.ofMillis(10), clock);
    clock.advanceMillis(10);
    assertThat(failure(q.acquire(spent))).hasMessage("no time left to wait for a slot");
    Future<AdmissionQueue.Permit> queued = q.acquire(plenty());
    assertThat(failure(q.acquire(plenty()))).hasMessageStartingWith("admission queue full (1 waiting, 1 in flight)");
    q.abandon(queued);
    assertThat(failure(queued)).hasMessage("the client left while waiting");
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void aReloadThatRaisesTheLimitAdmitsTheWaitersAtOnce() throws Exception {
    AdmissionQueue q = queue(1, 5, Duration.ofSeconds(5));
    result(q.acquire(plenty()));
    Future<AdmissionQueue.Permit> waiting = q.acquire(plenty());
    q.reconfigure(new AdmissionConfig(2, 5, Duration.ofSeconds(5)));
    assertThat(result(waiting)).isNotNull();
    assertThat(q.active()).isEqualTo(2);
    assertThatThrownBy(() -> result(q.acquire(Deadline.in(Duration.ZERO, clock))))
        .hasCauseInstanceOf(AdmissionQueue.Rejected.class);
  }
}
