package dev.ossaat.orchestrator.resilience;

import dev.ossaat.orchestrator.config.RetryConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before retrying the same provider: exponential backoff with full jitter (a random
 * wait between zero and the exponential cap, so retries from many clients do not arrive in waves),
 * but never less than the provider's own {@code Retry-After}. Resilience4j's interval functions
 * randomise around the value rather than below it, hence this small function.
 */
public final class Backoff {
  private Backoff() {}

  /**
   * @param retryNumber 1 for the first retry
   * @param retryAfter the provider's hint, or null
   * @return the wait, or null when the provider asks for longer than {@code maxRetryAfter} (then
   *     another provider is the better bet)
   */
  public static Duration before(RetryConfig config, int retryNumber, Duration retryAfter) {
    return before(config, retryNumber, retryAfter, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * The same with the jitter drawn from {@code random}, which must return values in [0, 1) as
   * {@link ThreadLocalRandom#nextDouble()} does (tests pin it to see the bounds).
   */
  public static Duration before(RetryConfig config, int retryNumber, Duration retryAfter, DoubleSupplier random) {
    if (retryAfter != null && retryAfter.compareTo(config.maxRetryAfter()) > 0) return null;
    double cap = Math.min(config.maxBackoff().toMillis(), config.initialBackoff().toMillis() * Math.pow(2, retryNumber - 1));
    long jittered = (long) (random.getAsDouble() * cap);
    long hinted = retryAfter == null ? 0 : retryAfter.toMillis();
    return Duration.ofMillis(Math.max(jittered, hinted));
  }
}
