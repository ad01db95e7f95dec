package dev.ossaat.orchestrator.identity;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;

/** {@code orchestrator_auth_failures_total{reason}}: requests refused for their key (a bounded label set). */
public final class IdentityMetrics {
  private final Map<KeyAuthenticator.Verdict, CounterDataPoint> byVerdict = new EnumMap<>(KeyAuthenticator.Verdict.class);
  private final CounterDataPoint modelNotAllowed;

  public IdentityMetrics(PrometheusRegistry registry) {
    Counter failures = Counter.builder()
        .name("orchestrator_auth_failures_total")
        .help("API requests refused by auth.mode keys, by reason: missing, invalid, disabled, expired, unavailable "
            + "(Redis could not be asked and the key was not cached), model_not_allowed")
        .labelNames("reason")
        .register(registry);
    for (KeyAuthenticator.Verdict v : KeyAuthenticator.Verdict.values()) {
      if (v != KeyAuthenticator.Verdict.OK) byVerdict.put(v, failures.labelValues(v.name().toLowerCase(java.util.Locale.ROOT)));
    }
    modelNotAllowed = failures.labelValues("model_not_allowed");
  }

  void refused(KeyAuthenticator.Verdict verdict) {
    byVerdict.get(verdict).inc();
  }

  void modelNotAllowed() {
    modelNotAllowed.inc();
  }
}
