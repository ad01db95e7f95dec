package dev.ossaat.orchestrator.config;

import java.time.Duration;

/**
 * {@code server.warmUp}: traffic the process sends through a throwaway copy of its own pipeline, to a
 * built-in simulator, after it starts listening and before {@code /readyz} says ready, so that a new pod
 * joins the Service with its hot path already compiled instead of serving its first tens of thousands
 * of requests at a fraction of its speed (docs/PERFORMANCE.md, start-up).
 *
 * @param duration how long to send warm-up traffic; zero turns warm-up off (the default, so that an
 *     in-process gateway in a test or a laptop starts at once; the Helm chart turns it on)
 * @param concurrency warm-up requests in flight at a time
 */
public record WarmUpConfig(Duration duration, int concurrency) {
  public static final WarmUpConfig OFF = new WarmUpConfig(Duration.ZERO, 8);

  public boolean enabled() {
    return !duration.isZero();
  }
}
