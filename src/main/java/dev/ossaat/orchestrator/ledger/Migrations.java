package dev.ossaat.orchestrator.ledger;

import dev.ossaat.orchestrator.config.LedgerConfig;
import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's schema, migrated with Flyway (scripts under {@code db/migration}). Blocking (JDBC):
 * runs on a worker thread before the server listens, or on the shipper's thread when the database
 * was down at start. Several replicas starting together are safe: Flyway holds a PostgreSQL advisory
 * lock while it migrates, so one migrates and the others wait, then find nothing left to do.
 */
final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.ledger");

  private Migrations() {}

  static String jdbcUrl(LedgerConfig config) {
    PgConnectOptions o = PgConnectOptions.fromUri(config.url());
    return "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase() + "?connectTimeout=5&socketTimeout=60";
  }

  static MigrateResult migrate(LedgerConfig config) {
    Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(jdbcUrl(config), config.user(), config.password().isPresent() ? config.password().reveal() : null)
        .locations("classpath:db/migration")
        .table("orchestrator_schema_history")
        .load();
    MigrateResult result = flyway.migrate();
    LOG.info("ledger schema: {} migration(s) applied, now at version {}", result.migrationsExecuted,
        result.targetSchemaVersion == null ? flyway.info().current().getVersion() : result.targetSchemaVersion);
    return result;
  }
}
