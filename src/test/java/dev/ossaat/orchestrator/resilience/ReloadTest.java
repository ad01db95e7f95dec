package dev.ossaat.orchestrator.resilience;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ossaat.orchestrator.testkit.LogCapture;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config and credential changes apply without a restart; a bad file never replaces a good config. */
class ReloadTest {
  private static final String BASE = """
      reload: {interval: 200ms}
      routing: {preference: [a, b]}
      providers:
        a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
        b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small}
      """;
  @TempDir Path dir;
  private TestGateway gw;

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
  }

  private String servedBy() {
    return gw.post("/v1/chat/completions", chat("sim-small")).headers().firstValue("x-orchestrator-provider").orElse("none");
  }

  @Test
  void aChangedFileAppliesAndABadOneIsRejected() {
    gw = TestGateway.startWatching(BASE, Map.of(), dir.resolve("orchestrator.yaml"));
    assertThat(servedBy()).isEqualTo("a");

    gw.rewrite(BASE.replace("preference: [a, b]", "preference: [b, a]"));
    await().atMost(Duration.ofSeconds(5)).until(() -> servedBy().equals("b"));

    try (LogCapture log = new LogCapture()) {
      gw.rewrite("providers: {b: {timout: 3s}}");
      await().atMost(Duration.ofSeconds(5)).until(() -> !log.grep("ERROR", "config reload rejected").isEmpty());
      assertThat(log.grep("config reload rejected").get(0)).contains("providers.b.timout: unknown key");
      assertThat(servedBy()).isEqualTo("b"); // the running config stays
    }

    gw.rewrite(BASE.replace("a: {baseUrl", "a: {enabled: false, baseUrl").replace("preference: [a, b]", "preference: [a, b]"));
    await().atMost(Duration.ofSeconds(5)).until(() -> !gw.gateway.config().provider("a").orElseThrow().enabled());
    assertThat(servedBy()).isEqualTo("b");
    assertThat(gw.get("/v1/models").body()).contains("\"owned_by\":\"b\"").doesNotContain("\"owned_by\":\"a\"");
  }

  @Test
  void aRotatedSecretFileIsPickedUpWithoutARestart() throws Exception {
    Path secrets = Files.createDirectory(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("A_API_KEY"), "sk-old-key-0001");
    gw = TestGateway.startWatching("""
        reload: {interval: 200ms}
        providers:
          retry: {maxAttempts: 1}
          a: {baseUrl: "${SIM:a}", model: sim-small}
        """, Map.of("ORCHESTRATOR_SECRETS_DIR", secrets.toString()), dir.resolve("orchestrator.yaml"));
    assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(200);
    assertThat(gw.simStats("a").path("lastAuthorization").asText()).isEqualTo("Bearer sk-old-key-0001");

    gw.simulate("a", "{\"requireApiKey\":\"sk-new-key-0002\"}"); // the provider revokes the old key
    assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(502);

    Path tmp = secrets.resolve("..new");
    Files.writeString(tmp, "sk-new-key-0002\n");
    Files.move(tmp, secrets.resolve("A_API_KEY"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.post("/v1/chat/completions", chat("sim-small")).statusCode() == 200);
    assertThat(gw.simStats("a").path("lastAuthorization").asText()).isEqualTo("Bearer sk-new-key-0002");
    assertThat(gw.get("/health/providers").body()).doesNotContain("sk-new-key-0002").doesNotContain("sk-old-key-0001");
  }
}
