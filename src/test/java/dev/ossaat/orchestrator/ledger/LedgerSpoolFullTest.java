package dev.ossaat.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.LogCapture;
import dev.ossaat.orchestrator.testkit.Metrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that is down from the start (nothing listens on its port): the gateway still starts and
 * serves, records wait in the spool; once the spool holds {@code maxSpoolBytes}, new records are
 * dropped and counted (the alert's signal) and requests are still answered.
 */
class LedgerSpoolFullTest {
  @TempDir
  Path spool;

  @Test
  void aFullSpoolDropsAndCountsRecordsButKeepsServing() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    try (LogCapture log = new LogCapture();
        TestGateway gw = TestGateway.start("""
            ledger:
              enabled: true
              url: postgresql://127.0.0.1:%d/nowhere
              spoolDir: %s
              maxSpoolBytes: 8KiB
              segmentBytes: 4KiB
              shipInterval: 100ms
              retryDelay: 1s
            providers:
              alpha:
                baseUrl: ${SIM:alpha}
                apiKey: sk-alpha-full-0001
                model: gpt-4o-mini
            """.formatted(deadPort, spool))) {
      for (int i = 0; i < 40; i++) {
        assertThat(gw.post("/v1/chat/completions", TestGateway.chat("gpt-4o-mini"), "x-request-id", "full-" + i).statusCode())
            .isEqualTo(200);
      }
      Metrics m = gw.metrics();
      assertThat(m.sum("orchestrator_ledger_records_dropped_total", "reason", "spool_full")).isPositive();
      assertThat(m.sum("orchestrator_ledger_records_spooled_total") + m.sum("orchestrator_ledger_records_dropped_total"))
          .isEqualTo(40);
      assertThat(m.sum("orchestrator_ledger_spool_bytes")).isLessThanOrEqualTo(8192).isPositive();
      assertThat(m.sum("orchestrator_ledger_spool_records")).isEqualTo(m.sum("orchestrator_ledger_records_spooled_total"));
      assertThat(m.sum("orchestrator_ledger_database_up")).isZero();
      assertThat(log.grep("schema migration failed at start")).isNotEmpty();
    }
  }
}
