package dev.ossaat.orchestrator.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.config.CircuitBreakerConfig;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The breaker's timing on a manual clock: it half-opens after exactly {@code timeout}, never before. */
class ProviderBreakerTest {
  private static final CircuitBreakerConfig CONFIG = new CircuitBreakerConfig(3, Duration.ofSeconds(30), 2, true);
  private final ManualClock clock = new ManualClock();
  private final List<String> transitions = new CopyOnWriteArrayList<>();
  private final ProviderBreaker breaker = new ProviderBreaker("p", CONFIG, transitions::add, clock);

  private static ProviderException serverError() {
    return ProviderException.of("p", ErrorType.SERVER_ERROR, "p returned HTTP 500");
  }

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      ProviderBreaker.Permit permit = breaker.tryAcquire();
      assertThat(permit).as("permit for failure %d", i + 1).isNotNull();
      permit.failure(1_000_000, serverError());
    }
  }

  private void trip() {
    fail(3);
    assertThat(transitions).last().isEqualTo("open");
  }

  @Test
  void opensAfterThresholdFailuresAndHalfOpensByItselfAfterExactlyTheTimeout() {
    fail(2);
    assertThat(transitions).isEmpty();
    fail(1);
    assertThat(transitions).containsExactly("open");
    assertThat(breaker.untilHalfOpen()).isEqualTo(Duration.ofSeconds(30));

    clock.advance(Duration.ofSeconds(30).minusMillis(1));
    assertThat(transitions).containsExactly("open");
    assertThat(breaker.tryAcquire()).isNull();
    assertThat(breaker.isOpen()).isTrue();
    assertThat(breaker.untilHalfOpen()).isEqualTo(Duration.ofMillis(1));

    clock.advance(Duration.ofMillis(1));
    // The timer did it, not a look at the state: the gauge never claims open past the timeout.
    assertThat(transitions).containsExactly("open", "half_open");
    assertThat(breaker.state()).isEqualTo("half_open");
    assertThat(breaker.untilHalfOpen()).isZero();
  }

  @Test
  void halfOpenLetsExactlyTheTrialsThroughAndClosesWhenAllSucceed() {
    trip();
    clock.advance(Duration.ofSeconds(30));
    ProviderBreaker.Permit first = breaker.tryAcquire();
    ProviderBreaker.Permit second = breaker.tryAcquire();
    assertThat(first).isNotNull();
    assertThat(second).isNotNull();
    assertThat(breaker.tryAcquire()).as("a third trial").isNull();
    first.success(1_000_000);
    assertThat(breaker.state()).isEqualTo("half_open");
    second.success(1_000_000);
    assertThat(breaker.state()).isEqualTo("closed");
    assertThat(transitions).containsExactly("open", "half_open", "closed");
  }

  @Test
  void aFailedTrialReopensAtOnceForAFullTimeout() {
    trip();
    clock.advance(Duration.ofSeconds(30));
    ProviderBreaker.Permit trial = breaker.tryAcquire();
    ProviderBreaker.Permit other = breaker.tryAcquire();
    trial.failure(1_000_000, serverError());
    assertThat(transitions).containsExactly("open", "half_open", "open");
    other.success(1_000_000); // issued in half-open: no say in the new open period
    assertThat(breaker.state()).isEqualTo("open");
    assertThat(breaker.untilHalfOpen()).isEqualTo(Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.tryAcquire()).isNull();
    clock.advance(Duration.ofSeconds(1));
    assertThat(transitions).last().isEqualTo("half_open");
  }

  @Test
  void aLateTimerDoesNotKeepItOpenTheFirstLookAfterTheTimeoutHalfOpensIt() {
    List<Runnable> neverRun = new ArrayList<>();
    Clock timersNeverFire = new Clock() {
      @Override
      public long nanoTime() {
        return clock.nanoTime();
      }

      @Override
      public Timer schedule(long delayMillis, Runnable task) {
        neverRun.add(task);
        return () -> { };
      }
    };
    ProviderBreaker b = new ProviderBreaker("p", CONFIG, transitions::add, timersNeverFire);
    for (int i = 0; i < 3; i++) b.tryAcquire().failure(1, serverError());
    assertThat(neverRun).hasSize(1);
    clock.advance(Duration.ofSeconds(30).minusNanos(1));
    assertThat(b.isOpen()).isTrue();
    clock.advance(Duration.ofNanos(1));
    assertThat(b.tryAcquire()).isNotNull();
    assertThat(transitions).containsExactly("open", "half_open");
  }

  @Test
  void aTimerOfAnEarlierOpenPeriodDoesNothing() {
    trip();
    clock.advance(Duration.ofSeconds(10));
    breaker.reset();
    clock.advance(Duration.ofSeconds(10));
    trip(); // opened again 20s after the first time
    assertThat(clock.pendingTimers()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(10)); // the first period's 30s are over
    assertThat(breaker.tryAcquire()).isNull();
    assertThat(breaker.untilHalfOpen()).isEqualTo(Duration.ofSeconds(20));
    clock.advance(Duration.ofSeconds(20));
    assertThat(transitions).containsExactly("open", "closed", "open", "half_open");
  }

  @Test
  void anOperatorOpenedBreakerStaysOpenWhateverTheClockSays() {
    breaker.forceOpen();
    assertThat(clock.pendingTimers()).isZero();
    clock.advance(Duration.ofDays(1));
    assertThat(breaker.state()).isEqualTo("open");
    assertThat(breaker.tryAcquire()).isNull();
    assertThat(breaker.untilHalfOpen()).isEqualTo(Duration.ofSeconds(30));
    breaker.reset();
    assertThat(breaker.state()).isEqualTo("closed");
    assertThat(breaker.tryAcquire()).isNotNull();
  }

  @Test
  void aResetWhileOpenCancelsTheHalfOpenTimer() {
    trip();
    assertThat(clock.pendingTimers()).isEqualTo(1);
    breaker.reset();
    assertThat(clock.pendingTimers()).isZero();
    clock.advance(Duration.ofMinutes(5));
    assertThat(transitions).containsExactly("open", "closed");
  }

  @Test
  void aReplacementTakesOverTheOpenStateWithAFreshTimeoutAndTheOldOneFallsSilent() {
    trip();
    clock.advance(Duration.ofSeconds(20));
    List<String> replacementTransitions = new CopyOnWriteArrayList<>();
    CircuitBreakerConfig longer = new CircuitBreakerConfig(3, Duration.ofSeconds(60), 2, true);
    ProviderBreaker replacement = new ProviderBreaker("p", longer, replacementTransitions::add, clock);
    breaker.retire();
    replacement.inherit(breaker);
    assertThat(replacement.state()).isEqualTo("open");
    assertThat(replacement.untilHalfOpen()).isEqualTo(Duration.ofSeconds(60));
    clock.advance(Duration.ofSeconds(59));
    assertThat(transitions).as("the retired breaker's gauge updates").containsExactly("open");
    assertThat(replacement.tryAcquire()).isNull();
    clock.advance(Duration.ofSeconds(1));
    assertThat(replacementTransitions).containsExactly("open", "half_open");
  }

  @Test
  void ignoredAndClientSideOutcomesNeverMoveIt() {
    for (int i = 0; i < 10; i++) {
      breaker.tryAcquire().failure(1, ProviderException.of("p", ErrorType.BAD_REQUEST, "400"));
      breaker.tryAcquire().failure(1, ProviderException.deadline("p", "the client's deadline passed"));
      breaker.tryAcquire().release();
    }
    assertThat(breaker.state()).isEqualTo("closed");
    assertThat(transitions).isEmpty();
    assertThat(clock.pendingTimers()).isZero();
  }
}
