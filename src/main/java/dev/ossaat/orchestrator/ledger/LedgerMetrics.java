package dev.ossaat.orchestrator.ledger;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/** The ledger's own metrics, registered into the gateway's registry. */
final class LedgerMetrics {
  final Counter spooled;
  final Counter dropped;
  final Counter rowsWritten;
  final Counter duplicates;
  final Counter writeErrors;
  final Counter corrupt;
  final Counter waitTimeouts;
  final Histogram spoolWait;
  final Gauge databaseUp;

  LedgerMetrics(PrometheusRegistry registry, long maxSpoolBytes, DoubleSupplier spoolBytes, DoubleSupplier spoolRecords,
      DoubleSupplier oldestSeconds) {
    spooled = Counter.builder().name("orchestrator_ledger_records_spooled_total")
        .help("Ledger records appended to the local spool file (one per request).").register(registry);
    dropped = Counter.builder().name("orchestrator_ledger_records_dropped_total")
        .help("Ledger records lost because the spool was full (reason=spool_full) or its file could not be written "
            + "(reason=write_error) or the writer fell behind (reason=backlog). The requests were still answered.")
        .labelNames("reason").register(registry);
    dropped.labelValues("spool_full");
    dropped.labelValues("write_error");
    dropped.labelValues("backlog");
    rowsWritten = Counter.builder().name("orchestrator_ledger_rows_written_total")
        .help("Ledger rows inserted into PostgreSQL.").register(registry);
    duplicates = Counter.builder().name("orchestrator_ledger_rows_duplicate_total")
        .help("Spooled records already in PostgreSQL (a replay after a crash): skipped, never counted twice.")
        .register(registry);
    writeErrors = Counter.builder().name("orchestrator_ledger_write_errors_total")
        .help("Failed ledger writes: target=spool (the local file) or target=database (PostgreSQL; retried).")
        .labelNames("target").register(registry);
    writeErrors.labelValues("spool");
    writeErrors.labelValues("database");
    corrupt = Counter.builder().name("orchestrator_ledger_spool_corrupt_lines_total")
        .help("Spool lines that could not be read back (a torn last write): skipped.").register(registry);
    waitTimeouts = Counter.builder().name("orchestrator_ledger_spool_wait_timeouts_total")
        .help("Answers sent before their record reached the spool because ledger.spoolWaitTimeout passed.")
        .register(registry);
    spoolWait = Histogram.builder().name("orchestrator_ledger_spool_wait_seconds")
        .help("How long an answer's end waited for its record to reach the spool file (the ledger's cost on the request path).")
        .classicUpperBounds(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1)
        .register(registry);
    databaseUp = Gauge.builder().name("orchestrator_ledger_database_up")
        .help("1 when the last ledger write to PostgreSQL succeeded, 0 while it fails.").register(registry);
    GaugeWithCallback.builder().name("orchestrator_ledger_spool_bytes")
        .help("Bytes of ledger records in the local spool, not yet in PostgreSQL.")
        .callback(cb -> cb.call(spoolBytes.getAsDouble())).register(registry);
    GaugeWithCallback.builder().name("orchestrator_ledger_spool_records")
        .help("Ledger records in the local spool, not yet in PostgreSQL.")
        .callback(cb -> cb.call(spoolRecords.getAsDouble())).register(registry);
    GaugeWithCallback.builder().name("orchestrator_ledger_spool_max_bytes")
        .help("ledger.maxSpoolBytes: past it new records are dropped.")
        .callback(cb -> cb.call(maxSpoolBytes)).register(registry);
    GaugeWithCallback.builder().name("orchestrator_ledger_spool_oldest_seconds")
        .help("Age of the oldest ledger record not yet in PostgreSQL (0 when none).")
        .callback(cb -> cb.call(oldestSeconds.getAsDouble())).register(registry);
  }
}
