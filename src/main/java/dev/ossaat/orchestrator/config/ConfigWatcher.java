package dev.ossaat.orchestrator.config;

import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the config (file and mounted secrets alike: credentials are resolved while reading) every
 * {@code reload.interval}, on a worker thread, and hands a changed, valid result to {@code apply}. An
 * invalid file is rejected with one ERROR line (repeated only when the problem changes) and the
 * running config stays. Polling rather than file events: Kubernetes updates ConfigMap and Secret
 * volumes by swapping a symlink, which file watchers commonly miss.
 */
public final class ConfigWatcher {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.config");

  private final Vertx vertx;
  private final Callable<OrchestratorConfig> reader;
  private final Supplier<OrchestratorConfig> current;
  private final Consumer<OrchestratorConfig> apply;
  private String lastProblem;
  private boolean busy;

  public ConfigWatcher(Vertx vertx, Callable<OrchestratorConfig> reader, Supplier<OrchestratorConfig> current,
      Consumer<OrchestratorConfig> apply) {
    this.vertx = vertx;
    this.reader = reader;
    this.current = current;
    this.apply = apply;
  }

  /**
   * A reload must leave something to route to: a file truncated to nothing, or one whose providers
   * are all disabled or lack their credential, would turn every request into a 503. Such a file is
   * rejected like any invalid one (a start-up with it is allowed, and /readyz says why it is not ready).
   */
  static OrchestratorConfig routable(OrchestratorConfig next) {
    if (next.routableProviders().isEmpty()) {
      String names = next.providers().isEmpty() ? "none are configured"
          : "none of " + String.join(", ", next.providers().stream().map(ProviderConfig::name).toList())
              + " is enabled with its credential";
      throw new ConfigException(next.source(), "it leaves no provider to route to (" + names + ")");
    }
    return next;
  }

  /** Starts polling; returns the timer id. */
  public long start(long intervalMillis) {
    return vertx.setPeriodic(intervalMillis, t -> check());
  }

  private void check() {
    if (busy) return; // a slow disk must not pile up reads
    busy = true;
    vertx.executeBlocking(() -> routable(reader.call()), false).onComplete(ar -> {
      busy = false;
      if (ar.failed()) {
        String problem = ar.cause().getMessage();
        if (!problem.equals(lastProblem)) {
          LOG.error("config reload rejected, keeping the running config: {}", problem);
          lastProblem = problem;
        }
        return;
      }
      lastProblem = null;
      OrchestratorConfig next = ar.result();
      if (!next.equals(current.get())) apply.accept(next);
    });
  }
}
