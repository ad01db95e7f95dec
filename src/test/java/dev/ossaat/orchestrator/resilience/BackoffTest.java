package dev.ossaat.orchestrator.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.config.RetryConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Full jitter: a wait anywhere in [0, cap), the cap doubling per retry up to maxBackoff; Retry-After as a floor. */
class BackoffTest {
  private static final RetryConfig CONFIG =
      new RetryConfig(5, Duration.ofMillis(100), Duration.ofMillis(700), Duration.ofSeconds(10));
  private static final double JUST_BELOW_ONE = Math.nextDown(1.0);

  private static Duration at(int retry, double random, Duration retryAfter) {
    return Backoff.before(CONFIG, retry, retryAfter, () -> random);
  }

  @Test
  void theCapDoublesPerRetryUpToMaxBackoff() {
    assertThat(at(1, JUST_BELOW_ONE, null)).isEqualTo(Duration.ofMillis(99));
    assertThat(at(2, JUST_BELOW_ONE, null)).isEqualTo(Duration.ofMillis(199));
    assertThat(at(3, JUST_BELOW_ONE, null)).isEqualTo(Duration.ofMillis(399));
    assertThat(at(4, JUST_BELOW_ONE, null)).isEqualTo(Duration.ofMillis(699));
    assertThat(at(30, JUST_BELOW_ONE, null)).isEqualTo(Duration.ofMillis(699));
  }

  @Test
  void theJitterReachesDownToZeroAndScalesLinearly() {
    for (int retry = 1; retry <= 6; retry++) assertThat(at(retry, 0.0, null)).isZero();
    assertThat(at(3, 0.5, null)).isEqualTo(Duration.ofMillis(200));
    assertThat(at(4, 0.25, null)).isEqualTo(Duration.ofMillis(175));
  }

  @Test
  void retryAfterIsAFloorUpToMaxRetryAfterAndBeyondItTheProviderIsLeft() {
    assertThat(at(1, 0.0, Duration.ofMillis(600))).isEqualTo(Duration.ofMillis(600));
    assertThat(at(4, JUST_BELOW_ONE, Duration.ofMillis(50))).isEqualTo(Duration.ofMillis(699));
    assertThat(at(1, 0.0, Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
    assertThat(at(1, 0.0, Duration.ofSeconds(10).plusMillis(1))).isNull();
  }

  @Test
  void theDefaultRandomStaysWithinTheBoundsAndSpreadsOverThem() {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < 10_000; i++) {
      long ms = Backoff.before(CONFIG, 3, null).toMillis();
      assertThat(ms).isBetween(0L, 399L);
      min = Math.min(min, ms);
      max = Math.max(max, ms);
    }
    // 10,000 uniform draws over 400 values: missing either end decile is (0.9^10000)-unlikely.
    assertThat(min).isLessThan(40);
    assertThat(max).isGreaterThan(360);
  }
}
