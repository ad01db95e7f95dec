package dev.ossaat.orchestrator.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The durable usage ledger ({@code ledger:}): one row per request in PostgreSQL, written from a local
 * append-only spool so that neither a crash nor a database outage loses a record.
 *
 * @param enabled off by default: the demo and a gateway without PostgreSQL need nothing
 * @param url {@code postgresql://host:port/database} (user and password apart, below)
 * @param user the database role
 * @param password optional ({@code ${LEDGER_DB_PASSWORD}} or a secrets file of that name), never logged
 * @param spoolDir this replica's own directory for the spool (one process per directory: a lock file
 *     refuses a second); on Kubernetes a volume that survives a container restart
 * @param maxSpoolBytes past this many bytes not yet in the database, new records are dropped and
 *     counted (the gateway keeps serving); the alert fires long before
 * @param segmentBytes a spool segment is sealed (made ready to ship) at this size ...
 * @param shipInterval ... or this long after its first record, and shipped to the database then
 * @param batchSize rows per insert statement batch
 * @param fsync {@code none} (the OS page cache: survives kill -9, not a power loss), {@code always}
 *     (fsync before a record counts as spooled: survives a power loss, costs a disk flush per group
 *     commit), or {@code interval} (fsync every {@link #fsyncInterval})
 * @param spoolWaitTimeout the most an answer waits for its record to reach the spool file; past it
 *     the answer goes out anyway and the wait is counted (a hung disk never hangs clients)
 * @param retryDelay how long the shipper waits after a failed database write before trying again
 * @param maxPoolSize database connections per process (the shipper and {@code GET /v1/usage})
 * @param migrate run the schema migrations (Flyway) at start
 */
public record LedgerConfig(boolean enabled, String url, String user, Secret password, Path spoolDir, long maxSpoolBytes,
    long segmentBytes, Duration shipInterval, int batchSize, Fsync fsync, Duration fsyncInterval, Duration spoolWaitTimeout,
    Duration retryDelay, int maxPoolSize, boolean migrate) {

  /** When a spooled record is forced to the disk. */
  public enum Fsync { NONE, ALWAYS, INTERVAL }

  public static final LedgerConfig DEFAULTS = new LedgerConfig(false, "postgresql://127.0.0.1:5432/orchestrator", "postgres",
      Secret.none(), Path.of("/var/lib/orchestrator/ledger-spool"), 1L << 30, 4L << 20, Duration.ofSeconds(1), 500, Fsync.NONE,
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1), 4, true);

  public LedgerConfig withSpoolDir(Path dir) {
    return new LedgerConfig(enabled, url, user, password, dir, maxSpoolBytes, segmentBytes, shipInterval, batchSize, fsync,
        fsyncInterval, spoolWaitTimeout, retryDelay, maxPoolSize, migrate);
  }

  /** A size: whole bytes, or with a unit (KiB, MiB, GiB; KB, MB, GB as the same powers of two). */
  public static long parseBytes(String text) {
    String t = text.trim();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?").matcher(t);
    if (!m.matches()) throw new IllegalArgumentException("expected a size like 512MiB or 1GiB, got '" + text + "'");
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(java.util.Locale.ROOT);
    int shift = unit.startsWith("k") ? 10 : unit.startsWith("m") ? 20 : unit.startsWith("g") ? 30 : 0;
    if (n > (Long.MAX_VALUE >> shift)) throw new IllegalArgumentException("size too large: '" + text + "'");
    return n << shift;
  }

  @Override
  public String toString() {
    return "LedgerConfig[enabled=" + enabled + ", url=" + url + ", user=" + user + ", password=" + password + ", spoolDir="
        + spoolDir + ", maxSpoolBytes=" + maxSpoolBytes + ", fsync=" + fsync + "]";
  }
}
