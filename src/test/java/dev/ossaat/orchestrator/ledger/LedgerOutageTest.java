package dev.ossaat.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ossaat.orchestrator.testkit.LedgerDatabase;
import dev.ossaat.orchestrator.testkit.LedgerLoad;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PostgreSQL restart under load: the gateway keeps answering (records wait in the spool), the
 * metrics say the database is down, and once it is back every answered request has exactly one row.
 * PostgreSQL is started again in a finally, whatever happens.
 */
class LedgerOutageTest {
  @TempDir
  Path spool;

  @Test
  void everyAnsweredRequestHasExactlyOneRowAfterAPostgresRestartUnderLoad() throws Exception {
    try (LedgerDatabase db = new LedgerDatabase();
        TestGateway gw = TestGateway.start("""
            ledger:
              enabled: true
              url: %s
              spoolDir: %s
              shipInterval: 100ms
              retryDelay: 200ms
            providers:
              retry: {maxAttempts: 1}
              alpha:
                baseUrl: ${SIM:alpha}
                apiKey: sk-alpha-outage-0001
                model: gpt-4o-mini
            """.formatted(db.url(), spool))) {
      String base = "http://127.0.0.1:" + gw.gateway.port();
      Set<String> answered;
      long answeredWhileDown;
      try (LedgerLoad load = new LedgerLoad(base, "outage", 4)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> load.answered.size() >= 100);
        try {
          postgres("stop");
          long before = load.answered.size();
          await().atMost(Duration.ofSeconds(30)).until(() -> load.answered.size() >= before + 200);
          answeredWhileDown = load.answered.size() - before;
          await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(gw.metrics().sum("orchestrator_ledger_database_up")).isEqualTo(0.0);
            assertThat(gw.metrics().sum("orchestrator_ledger_write_errors_total", "target", "database")).isPositive();
            assertThat(gw.metrics().sum("orchestrator_ledger_spool_records")).isPositive();
          });
        } finally {
          postgres("start");
        }
        long after = load.answered.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> load.answered.size() >= after + 100);
        load.close();
        answered = new HashSet<>(load.answered);
      }
      assertThat(answeredWhileDown).isGreaterThanOrEqualTo(200);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
        Set<String> rows = db.query("SELECT request_id FROM usage_ledger").stream().map(r -> (String) r.get("request_id"))
            .collect(Collectors.toSet());
        assertThat(answered.stream().filter(id -> !rows.contains(id)).toList()).as("answered requests without a row").isEmpty();
      });
      assertThat(db.query("SELECT request_id FROM usage_ledger GROUP BY request_id HAVING count(*) > 1")).isEmpty();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(gw.metrics().sum("orchestrator_ledger_database_up")).isEqualTo(1.0);
        assertThat(gw.metrics().sum("orchestrator_ledger_records_dropped_total")).isZero();
      });
    }
  }

  /** pg_ctlcluster on the machine's one cluster (its version is the directory under /etc/postgresql). */
  private static void postgres(String action) throws Exception {
    String version;
    try (var dirs = Files.list(Path.of("/etc/postgresql"))) {
      version = dirs.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
    }
    Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    if (p.exitValue() != 0 && !out.contains("already running")) {
      throw new IllegalStateException("pg_ctlcluster " + action + " failed: " + out);
    }
  }
}
