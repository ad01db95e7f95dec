package dev.ossaat.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ossaat.orchestrator.config.LedgerConfig;
import dev.ossaat.orchestrator.config.Secret;
import dev.ossaat.orchestrator.testkit.LedgerDatabase;
import dev.ossaat.orchestrator.testkit.TestGateway;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crashed replica leaves in its spool is shipped at the next start, a torn last line cut off,
 * and shipping the same records again (a crash between the insert and the delete) counts nothing
 * twice. The schema migrates once when two replicas start at the same moment.
 */
class LedgerReplayTest {
  @TempDir
  Path dir;

  private static LedgerRecord record(String id, long prompt) {
    return new LedgerRecord(id, 1_764_547_200_000L, "acme", "alice", "key-1", "chat_completions", "openai", "alpha",
        "gpt-4o-mini", "gpt-4o-mini", prompt, 20, 0, 0, 0, 0.0000135, false, "success", 200, null, 12, false, false, 1);
  }

  private static byte[] lines(List<LedgerRecord> records) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (LedgerRecord r : records) {
      out.write(Spool.JSON.writeValueAsBytes(r));
      out.write('\n');
    }
    return out.toByteArray();
  }

  private LedgerConfig config(LedgerDatabase db, Path spool) {
    return new LedgerConfig(true, db.url(), "postgres", Secret.none(), spool, 1L << 20, 64 * 1024, Duration.ofMillis(100), 2,
        LedgerConfig.Fsync.ALWAYS, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(100), 2, true);
  }

  private static double counter(PrometheusRegistry registry, String name) {
    return registry.scrape().stream().filter(s -> s instanceof CounterSnapshot && s.getMetadata().getPrometheusName()
        .equals(name.replace("_total", ""))).flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
  }

  @Test
  void aCrashedSpoolIsShippedOnceAndAReplayCountsNothingTwice() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (LedgerDatabase db = new LedgerDatabase()) {
      Path spool = dir.resolve("spool");
      Files.createDirectories(spool);
      List<LedgerRecord> sealed = List.of(record("r-1", 1), record("r-2", 2), record("r-3", 3));
      List<LedgerRecord> open = List.of(record("r-4", 4), record("r-5", 5));
      Files.write(spool.resolve("seg-0000000000000007-3.ready"), lines(sealed));
      // The segment a killed process was appending to, its last write torn in half.
      byte[] torn = Spool.JSON.writeValueAsBytes(record("r-6", 6));
      ByteArrayOutputStream partial = new ByteArrayOutputStream();
      partial.write(lines(open));
      partial.write(torn, 0, torn.length / 2);
      Files.write(spool.resolve("seg-0000000000000008.open"), partial.toByteArray());

      PrometheusRegistry first = new PrometheusRegistry();
      Ledger ledger = TestGateway.await(Ledger.start(vertx, config(db, spool), first));
      await().atMost(Duration.ofSeconds(20)).until(() -> ledger.pending() == 0);
      TestGateway.await(ledger.close());
      assertThat(db.rows()).isEqualTo(5);
      assertThat(db.query("SELECT request_id FROM usage_ledger WHERE request_id = 'r-6'")).isEmpty();
      assertThat(counter(first, "orchestrator_ledger_spool_corrupt_lines_total")).isEqualTo(1);
      assertThat(counter(first, "orchestrator_ledger_rows_written_total")).isEqualTo(5);
      Map<String, Object> r4 = db.query("SELECT * FROM usage_ledger WHERE request_id = 'r-4'").get(0);
      assertThat(r4).containsEntry("tenant_id", "acme").containsEntry("key_id", "key-1").containsEntry("prompt_tokens", 4L);
      try (Stream<Path> left = Files.list(spool)) {
        assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("seg-"))).isEmpty();
      }

      // The same records again: a replica that died after its insert and before deleting the segment.
      Files.write(spool.resolve("seg-0000000000000009-5.ready"), lines(List.of(record("r-1", 1), record("r-2", 2),
          record("r-3", 3), record("r-4", 4), record("r-5", 5))));
      PrometheusRegistry second = new PrometheusRegistry();
      Ledger again = TestGateway.await(Ledger.start(vertx, config(db, spool), second));
      await().atMost(Duration.ofSeconds(20)).until(() -> again.pending() == 0);
      TestGateway.await(again.close());
      assertThat(db.rows()).isEqualTo(5);
      assertThat(counter(second, "orchestrator_ledger_rows_duplicate_total")).isEqualTo(5);
      assertThat(counter(second, "orchestrator_ledger_rows_written_total")).isZero();
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  @Test
  void aSecondProcessCannotTakeASpoolDirectoryInUse() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (LedgerDatabase db = new LedgerDatabase()) {
      Ledger ledger = TestGateway.await(Ledger.start(vertx, config(db, dir.resolve("shared")), new PrometheusRegistry()));
      try {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> TestGateway.await(Ledger.start(vertx, config(db, dir.resolve("shared")), new PrometheusRegistry())))
            .hasStackTraceContaining("is in use by another orchestrator process");
      } finally {
        TestGateway.await(ledger.close());
      }
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  @Test
  void twoReplicasMigratingAtOnceApplyTheSchemaOnce() throws Exception {
    try (LedgerDatabase db = new LedgerDatabase()) {
      LedgerConfig config = config(db, dir);
      CyclicBarrier together = new CyclicBarrier(2);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Integer> a = pool.submit(() -> {
          together.await();
          return Migrations.migrate(config).migrationsExecuted;
        });
        Future<Integer> b = pool.submit(() -> {
          together.await();
          return Migrations.migrate(config).migrationsExecuted;
        });
        // One applied the migration, the other waited on Flyway's lock and found nothing to do.
        assertThat(a.get() + b.get()).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
      assertThat(db.query("SELECT version, success FROM orchestrator_schema_history WHERE version IS NOT NULL"))
          .containsExactly(Map.of("version", "1", "success", true));
      assertThat(db.rows()).isZero();
    }
  }
}
