package dev.ossaat.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code ledger:} section: defaults, every key, sizes with units, and clear errors naming the key. */
class LedgerConfigTest {
  private static OrchestratorConfig parse(String yaml, Map<String, String> env) {
    java.util.HashMap<String, String> full = new java.util.HashMap<>(env);
    full.put("ORCHESTRATOR_SECRETS_DIR", "/nonexistent");
    return new ConfigLoader(full).parseText(yaml, "t");
  }

  @Test
  void offByDefault() {
    LedgerConfig l = parse("server: {port: 3000}", Map.of()).ledger();
    assertThat(l).isEqualTo(LedgerConfig.DEFAULTS);
    assertThat(l.enabled()).isFalse();
    assertThat(l.fsync()).isEqualTo(LedgerConfig.Fsync.NONE);
  }

  @Test
  void everyKeyIsRead() {
    LedgerConfig l = parse("""
        ledger:
          enabled: true
          url: postgresql://db.internal:6543/usage
          user: gw
          password: s3cret-ledger
          spoolDir: /data/spool
          maxSpoolBytes: 256MiB
          segmentBytes: 1MiB
          shipInterval: 250ms
          batchSize: 100
          fsync: interval
          fsyncInterval: 2s
          spoolWaitTimeout: 500ms
          retryDelay: 3s
          maxPoolSize: 2
          migrate: false
        """, Map.of()).ledger();
    assertThat(l.enabled()).isTrue();
    assertThat(l.url()).isEqualTo("postgresql://db.internal:6543/usage");
    assertThat(l.user()).isEqualTo("gw");
    assertThat(l.password().reveal()).isEqualTo("s3cret-ledger");
    assertThat(l.toString()).doesNotContain("s3cret-ledger");
    assertThat(l.spoolDir()).isEqualTo(Path.of("/data/spool"));
    assertThat(l.maxSpoolBytes()).isEqualTo(256L << 20);
    assertThat(l.segmentBytes()).isEqualTo(1L << 20);
    assertThat(l.shipInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(l.batchSize()).isEqualTo(100);
    assertThat(l.fsync()).isEqualTo(LedgerConfig.Fsync.INTERVAL);
    assertThat(l.fsyncInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(l.spoolWaitTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(l.retryDelay()).isEqualTo(Duration.ofSeconds(3));
    assertThat(l.maxPoolSize()).isEqualTo(2);
    assertThat(l.migrate()).isFalse();
  }

  @Test
  void thePasswordMayComeFromTheEnvironment() {
    LedgerConfig l = parse("ledger: {enabled: true}", Map.of("LEDGER_DB_PASSWORD", "from-env-pw")).ledger();
    assertThat(l.password().reveal()).isEqualTo("from-env-pw");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> parse("ledger: {fsync: sometimes}", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ledger.fsync").hasMessageContaining("none, always or interval");
    assertThatThrownBy(() -> parse("ledger: {maxSpoolBytes: lots}", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ledger.maxSpoolBytes").hasMessageContaining("512MiB");
    assertThatThrownBy(() -> parse("ledger: {url: mysql://x/y}", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ledger.url");
    assertThatThrownBy(() -> parse("ledger: {maxSpoolBytes: 1MiB, segmentBytes: 4MiB}", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ledger.maxSpoolBytes");
    assertThatThrownBy(() -> parse("ledger: {spool: /tmp}", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ledger.spool").hasMessageContaining("spoolDir");
  }

  @Test
  void sizesTakeUnits() {
    assertThat(LedgerConfig.parseBytes("4096")).isEqualTo(4096);
    assertThat(LedgerConfig.parseBytes("8KiB")).isEqualTo(8192);
    assertThat(LedgerConfig.parseBytes("2 GB")).isEqualTo(2L << 30);
  }
}
