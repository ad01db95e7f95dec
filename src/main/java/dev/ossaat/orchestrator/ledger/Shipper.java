package dev.ossaat.orchestrator.ledger;

import dev.ossaat.orchestrator.config.LedgerConfig;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships sealed spool segments to PostgreSQL, oldest first, in batches, on its own thread (never an
 * event loop, never a request's path). A segment is deleted only once every one of its rows is in
 * the database; a failure leaves it for the next try after {@code retryDelay}. Rows are inserted with
 * {@code ON CONFLICT (request_id) DO NOTHING}: a segment shipped twice (a crash between the insert
 * and the delete) counts once.
 */
final class Shipper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.ledger");
  static final String INSERT = "INSERT INTO usage_ledger (request_id, ts, tenant_id, user_id, key_id, route, ingress, provider,"
      + " model, upstream_model, prompt_tokens, completion_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,"
      + " cost_usd, estimated, status, http_status, error_type, latency_ms, cache_hit, stream, attempts)"
      + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)"
      + " ON CONFLICT (request_id) DO NOTHING";

  private final Spool spool;
  private final Pool pool;
  private final LedgerConfig config;
  private final LedgerMetrics metrics;
  private final Thread thread;
  private final Object wake = new Object();
  private volatile boolean running = true;
  private volatile boolean migrated;
  private boolean failing;

  Shipper(Spool spool, Pool pool, LedgerConfig config, LedgerMetrics metrics, boolean migrated) {
    this.spool = spool;
    this.pool = pool;
    this.config = config;
    this.metrics = metrics;
    this.migrated = migrated || !config.migrate();
    this.thread = new Thread(this::run, "orchestrator-ledger-shipper");
    thread.setDaemon(true);
  }

  void start() {
    spool.onSealed(this::wake);
    thread.start();
  }

  /** A segment is ready: ship it now rather than at the next poll. */
  void wake() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  @Override
  public void close() {
    running = false;
    synchronized (wake) {
      wake.notifyAll();
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (running) {
      try {
        if (!migrated) {
          Migrations.migrate(config);
          migrated = true;
        }
        Spool.Segment segment = spool.oldestReady();
        if (segment == null) {
          pause(1_000); // woken early when a segment is sealed
          continue;
        }
        ship(segment);
        spool.shipped(segment);
        healthy();
      } catch (Exception e) {
        metrics.writeErrors.labelValues("database").inc();
        metrics.databaseUp.set(0);
        if (!failing) {
          LOG.error("ledger: cannot write to PostgreSQL ({}): records stay in the spool ({} pending) and are retried every {} ms",
              describe(e), spool.records(), config.retryDelay().toMillis());
          failing = true;
        }
        pause(config.retryDelay().toMillis());
      }
    }
  }

  private void healthy() {
    metrics.databaseUp.set(1);
    if (failing) {
      LOG.info("ledger: PostgreSQL writes succeed again; {} records still pending in the spool", spool.records());
      failing = false;
    }
  }

  private void ship(Spool.Segment segment) throws Exception {
    List<LedgerRecord> records = spool.read(segment);
    for (int from = 0; from < records.size(); from += config.batchSize()) {
      List<LedgerRecord> chunk = records.subList(from, Math.min(records.size(), from + config.batchSize()));
      List<Tuple> rows = new ArrayList<>(chunk.size());
      for (LedgerRecord r : chunk) rows.add(tuple(r));
      RowSet<Row> result = pool.withTransaction(c -> c.preparedQuery(INSERT).executeBatch(rows))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      long inserted = 0;
      for (RowSet<Row> rs = result; rs != null; rs = rs.next()) inserted += rs.rowCount();
      metrics.rowsWritten.inc(inserted);
      if (inserted < chunk.size()) metrics.duplicates.inc(chunk.size() - inserted);
    }
  }

  static Tuple tuple(LedgerRecord r) {
    return Tuple.tuple()
        .addString(r.requestId())
        .addOffsetDateTime(OffsetDateTime.ofInstant(Instant.ofEpochMilli(r.timeMillis()), ZoneOffset.UTC))
        .addString(r.tenantId())
        .addString(r.userId())
        .addString(r.keyId() == null ? "" : r.keyId())
        .addString(r.route())
        .addString(r.ingress())
        .addString(r.provider())
        .addString(r.model())
        .addString(r.upstreamModel())
        .addLong(r.promptTokens())
        .addLong(r.completionTokens())
        .addLong(r.cacheReadTokens())
        .addLong(r.cacheWriteTokens())
        .addLong(r.reasoningTokens())
        .addValue(r.costUsd() == null ? null : Numeric.create(BigDecimal.valueOf(r.costUsd())))
        .addBoolean(r.estimated())
        .addString(r.status())
        .addInteger(r.httpStatus())
        .addString(r.errorType())
        .addLong(r.latencyMs())
        .addBoolean(r.cacheHit())
        .addBoolean(r.stream())
        .addInteger(r.attempts());
  }

  private void pause(long millis) {
    synchronized (wake) {
      if (!running) return;
      try {
        wake.wait(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  private static String describe(Throwable t) {
    Throwable c = t instanceof java.util.concurrent.ExecutionException && t.getCause() != null ? t.getCause() : t;
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }
}
