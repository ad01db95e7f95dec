package dev.ossaat.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ossaat.orchestrator.sim.ProviderSimulator;
import dev.ossaat.orchestrator.testkit.LedgerDatabase;
import dev.ossaat.orchestrator.testkit.LedgerLoad;
import dev.ossaat.orchestrator.testkit.TestGateway;
import io.vertx.core.Vertx;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a replica under load: the gateway runs in a child JVM (as in production, from
 * {@code Main} with a config file), serves plain and streamed requests from several clients, and is
 * killed without warning. Restarted on the same spool directory, it replays what the dead process
 * spooled: every request that received its whole answer has exactly one ledger row.
 */
class LedgerCrashTest {
  @TempDir
  Path dir;

  @Test
  void everyAnsweredRequestHasExactlyOneRowAfterAKillDashNineAndARestart() throws Exception {
    Vertx vertx = Vertx.vertx();
    Process gateway = null;
    try (LedgerDatabase db = new LedgerDatabase()) {
      ProviderSimulator sim = TestGateway.await(ProviderSimulator.start(vertx, "127.0.0.1", 0));
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path config = dir.resolve("orchestrator.yaml");
      Files.writeString(config, """
          server: {port: %d}
          reload: {enabled: false}
          ledger:
            enabled: true
            url: %s
            spoolDir: %s
            shipInterval: 200ms
            retryDelay: 200ms
          providers:
            retry: {maxAttempts: 1}
            alpha:
              baseUrl: %s
              apiKey: sk-alpha-crash-0001
              model: gpt-4o-mini
          """.formatted(port, db.url(), dir.resolve("spool"), sim.baseUrl("alpha")));
      String base = "http://127.0.0.1:" + port;

      gateway = launch(config, dir.resolve("gateway-1.log"));
      awaitReady(base, gateway);
      Set<String> answered;
      try (LedgerLoad load = new LedgerLoad(base, "crash", 6)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> load.answered.size() >= 400);
        gateway.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no seal
        gateway.waitFor();
        load.close();
        answered = new HashSet<>(load.answered);
      }
      long rowsAtKill = db.rows();
      assertThat(answered).hasSizeGreaterThanOrEqualTo(400);

      gateway = launch(config, dir.resolve("gateway-2.log"));
      awaitReady(base, gateway);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
        Set<String> rows = ids(db);
        Set<String> missing = answered.stream().filter(id -> !rows.contains(id)).collect(Collectors.toSet());
        assertThat(missing).as("answered requests without a ledger row").isEmpty();
      });
      // request_id is the key: a row per id, never two, however often a segment was replayed.
      List<Map<String, Object>> dupes = db.query("SELECT request_id FROM usage_ledger GROUP BY request_id HAVING count(*) > 1");
      assertThat(dupes).isEmpty();
      // Rows may exist for requests whose answer was cut by the kill (spooled, not yet delivered): never fewer.
      assertThat(db.rows()).isGreaterThanOrEqualTo(answered.size());
      assertThat(rowsAtKill).as("the dead replica had not shipped everything: the replay did the rest").isLessThan(db.rows());
      assertThat(Files.readString(dir.resolve("gateway-2.log"))).contains("from an earlier run, to be shipped");
    } finally {
      if (gateway != null) {
        gateway.destroyForcibly();
        gateway.waitFor();
      }
      TestGateway.await(vertx.close());
    }
  }

  private static Set<String> ids(LedgerDatabase db) {
    return db.query("SELECT request_id FROM usage_ledger").stream().map(r -> (String) r.get("request_id"))
        .collect(Collectors.toSet());
  }

  private static Process launch(Path config, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), "dev.ossaat.orchestrator.Main");
    pb.environment().put("ORCHESTRATOR_CONFIG", config.toString());
    pb.environment().put("ORCHESTRATOR_SECRETS_DIR", "/nonexistent-test-secrets");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb.start();
  }

  private static void awaitReady(String base, Process p) {
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      if (!p.isAlive()) throw new IllegalStateException("the gateway exited with " + p.exitValue());
      try {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (java.io.IOException e) {
        return false;
      }
    });
  }
}
