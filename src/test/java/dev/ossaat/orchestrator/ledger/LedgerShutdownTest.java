package dev.ossaat.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.LedgerDatabase;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful shutdown ships what is still in the spool before the process goes (a pod whose spool
 * volume is deleted with it loses nothing while the database is up): rows that would otherwise wait
 * for the next shipInterval are in PostgreSQL when close() returns, and the spool is empty.
 */
class LedgerShutdownTest {
  @TempDir
  Path spool;

  @Test
  void closingShipsWhatIsLeftInTheSpool() throws Exception {
    try (LedgerDatabase db = new LedgerDatabase()) {
      TestGateway gw = TestGateway.start("""
          ledger:
            enabled: true
            url: %s
            spoolDir: %s
            shipInterval: 1h
          providers:
            alpha: {baseUrl: "${SIM:alpha}", apiKeyRequired: false, model: gpt-4o-mini}
          """.formatted(db.url(), spool));
      try {
        for (int i = 0; i < 5; i++) {
          assertThat(gw.post("/v1/chat/completions", TestGateway.chat("gpt-4o-mini"), "x-request-id", "bye-" + i).statusCode())
              .isEqualTo(200);
        }
        assertThat(db.rows()).isZero(); // a segment ships at shipInterval (an hour) or when full
      } finally {
        gw.close();
      }
      assertThat(db.rows()).isEqualTo(5);
      try (Stream<Path> left = Files.list(spool)) {
        assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("seg-"))).isEmpty();
      }
    }
  }
}
