package dev.ossaat.orchestrator.ledger;

import dev.ossaat.orchestrator.config.LedgerConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable usage ledger: {@link #append} puts a request's record in the local {@link Spool} (its
 * answer's end waits for that, not for the database), the {@link Shipper} moves spooled records to
 * PostgreSQL in batches, and {@link UsageQuery} reads totals back for {@code GET /v1/usage}.
 */
public final class Ledger implements UsageLedger {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.ledger");

  private final Vertx vertx;
  private final LedgerConfig config;
  private volatile Spool spool;
  private LedgerMetrics metrics;
  private Pool pool;
  private Shipper shipper;

  private Ledger(Vertx vertx, LedgerConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /**
   * Opens the spool (replaying what an earlier run left), migrates the schema and starts shipping.
   * The blocking part runs on a worker thread; the returned future completes before the gateway
   * listens. A database that is down at start does not stop the gateway: records are spooled, and
   * the shipper migrates and ships once it is back. A spool directory that cannot be opened does.
   */
  public static Future<Ledger> start(Vertx vertx, LedgerConfig config, PrometheusRegistry registry) {
    return vertx.executeBlocking(() -> {
      Ledger l = new Ledger(vertx, config);
      l.metrics = new LedgerMetrics(registry, config.maxSpoolBytes(), () -> l.spool == null ? 0 : l.spool.bytes(),
          () -> l.spool == null ? 0 : l.spool.records(), () -> l.spool == null ? 0 : l.spool.oldestSeconds());
      l.spool = new Spool(config, l.metrics);
      boolean migrated = false;
      if (config.migrate()) {
        try {
          Migrations.migrate(config);
          migrated = true;
        } catch (RuntimeException e) {
          LOG.error("ledger: schema migration failed at start ({}); serving anyway, records are spooled and the"
              + " migration is retried before they are shipped", e.getMessage());
        }
      }
      l.pool = pool(vertx, config);
      l.shipper = new Shipper(l.spool, l.pool, config, l.metrics, migrated);
      l.shipper.start();
      LOG.info("ledger: spool {} (max {} bytes, fsync {}), database {} as {}", config.spoolDir(), config.maxSpoolBytes(),
          config.fsync().name().toLowerCase(java.util.Locale.ROOT), config.url(), config.user());
      return l;
    });
  }

  static Pool pool(Vertx vertx, LedgerConfig config) {
    PgConnectOptions connect = PgConnectOptions.fromUri(config.url()).setUser(config.user());
    if (config.password().isPresent()) connect.setPassword(config.password().reveal());
    return PgBuilder.pool().with(new io.vertx.core.net.NetClientOptions().setConnectTimeout(5_000)).with(new PoolOptions().setMaxSize(config.maxPoolSize()).setConnectionTimeout(5)
        .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)).connectingTo(connect).using(vertx).build();
  }

  @Override
  public Future<Void> append(LedgerRecord record) {
    Context context = vertx.getOrCreateContext();
    Promise<Void> written = Promise.promise();
    long start = System.nanoTime();
    // A hung disk must never hang an answer: past spoolWaitTimeout the answer goes out anyway.
    long timer = vertx.setTimer(config.spoolWaitTimeout().toMillis(), id -> {
      if (written.tryComplete()) metrics.waitTimeouts.inc();
    });
    spool.append(record, ok -> context.runOnContext(v -> {
      vertx.cancelTimer(timer);
      if (written.tryComplete()) metrics.spoolWait.observe((System.nanoTime() - start) / 1e9);
    }));
    return written.future();
  }

  /** Totals for {@code GET /v1/usage}. */
  public UsageQuery query() {
    return new UsageQuery(pool);
  }

  /** Records still in the spool (not yet in the database). */
  public long pending() {
    return spool.records();
  }

  /**
   * Stops taking records, seals the spool, gives the shipper up to {@link #CLOSE_FLUSH_MILLIS} to send
   * what is left (a pod whose spool volume goes with it loses nothing when the database is up), then
   * closes the pool. Whatever is still unshipped stays in the spool for the next start.
   */
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      spool.close();
      long until = System.nanoTime() + CLOSE_FLUSH_MILLIS * 1_000_000L;
      while (spool.records() > 0 && System.nanoTime() < until) {
        Thread.sleep(20); // a worker thread, at shutdown: waiting for the shipper's last batches
      }
      if (spool.records() > 0) {
        LOG.warn("ledger: {} records still in the spool {} at shutdown; they are shipped at the next start",
            spool.records(), config.spoolDir());
      }
      shipper.close();
      return null;
    }).compose(v -> pool.close());
  }

  static final long CLOSE_FLUSH_MILLIS = 3_000;
}
