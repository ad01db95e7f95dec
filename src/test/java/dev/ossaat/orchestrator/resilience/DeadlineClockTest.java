package dev.ossaat.orchestrator.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.health.ProviderHealth;
import dev.ossaat.orchestrator.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The deadline and the health window read the clock they are given, never the system's behind its back. */
class DeadlineClockTest {
  private final ManualClock clock = new ManualClock();

  @Test
  void aDeadlineCountsDownOnItsClockAndTheLastMillisecondCountsAsExpired() {
    Deadline d = Deadline.in(Duration.ofSeconds(1), clock);
    assertThat(d.budgetMillis()).isEqualTo(1000);
    assertThat(d.remainingMillis()).isEqualTo(1000);
    clock.advanceMillis(700);
    assertThat(d.remainingMillis()).isEqualTo(300);
    assertThat(d.expired()).isFalse();
    clock.advance(Duration.ofMillis(299).plusNanos(1));
    assertThat(d.remainingMillis()).isZero();
    assertThat(d.expired()).isTrue();
    clock.advance(Duration.ofHours(1));
    assertThat(d.remainingMillis()).isZero();
  }

  @Test
  void theSystemDeadlineKeepsItsShape() {
    Deadline d = Deadline.in(Duration.ofMinutes(5));
    assertThat(d.clock()).isSameAs(Clock.SYSTEM);
    assertThat(d.budgetMillis()).isEqualTo(300_000);
    assertThat(d.expired()).isFalse();
    assertThat(new Deadline(0, 1_000_000_000).clock()).isSameAs(Clock.SYSTEM);
  }

  @Test
  void outcomesOlderThanFiveMinutesLeaveTheHealthWindow() {
    ProviderHealth health = new ProviderHealth(clock);
    health.failure(2_000_000_000L, "p timed out");
    clock.advance(Duration.ofMinutes(3));
    health.success(1_000_000_000L);
    assertThat(health.snapshot().requests()).isEqualTo(2);
    assertThat(health.snapshot().errorRate()).isEqualTo(0.5);
    clock.advance(Duration.ofMinutes(2).plusNanos(1)); // the failure is now 5 min + 1 ns old
    assertThat(health.snapshot().requests()).isEqualTo(1);
    assertThat(health.snapshot().errorRate()).isZero();
    assertThat(health.snapshot().p95LatencySeconds()).isEqualTo(1.0);
    clock.advance(Duration.ofMinutes(3));
    assertThat(health.snapshot().requests()).isZero();
  }
}
