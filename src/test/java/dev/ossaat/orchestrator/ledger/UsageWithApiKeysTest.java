package dev.ossaat.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.LedgerDatabase;
import dev.ossaat.orchestrator.testkit.RedisKeys;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/usage} with a gateway API key (auth.mode keys, the real Redis and PostgreSQL): a key
 * reads its own tenant's totals and nothing else, whatever tenant it asks for.
 */
class UsageWithApiKeysTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "usage-keys-admin-0001";

  private final RedisKeys redis = new RedisKeys();
  private LedgerDatabase db;
  private TestGateway gw;
  @TempDir
  Path spool;

  @BeforeEach
  void start() {
    db = new LedgerDatabase();
    gw = TestGateway.start("""
        auth: {mode: keys}
        admin: {token: %s}
        redis: {keyPrefix: "%s", commandTimeout: 2s}
        ledger: {enabled: true, url: "%s", spoolDir: "%s", shipInterval: 100ms}
        providers:
          alpha: {baseUrl: "${SIM:alpha}", apiKeyRequired: false, model: gpt-4o-mini, models: [gpt-4o-mini]}
        """.formatted(ADMIN, redis.prefix, db.url(), spool));
  }

  @AfterEach
  void stop() {
    try {
      if (gw != null) gw.close();
    } finally {
      try {
        redis.close();
      } finally {
        db.close();
      }
    }
  }

  @Test
  void aKeyReadsTheUsageOfItsOwnTenantOnly() throws Exception {
    String acme = key("acme");
    String globex = key("globex");
    for (int i = 0; i < 2; i++) {
      assertThat(chat(acme, "acme " + i).statusCode()).isEqualTo(200);
    }
    assertThat(chat(globex, "globex").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> db.rows() == 3);

    HttpResponse<String> own = gw.get("/v1/usage", "authorization", "Bearer " + acme);
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(own.body());
    assertThat(body.path("total").path("requests").asLong()).isEqualTo(2);
    assertThat(body.path("data")).allSatisfy(row -> assertThat(row.path("tenant").asText()).isEqualTo("acme"));

    HttpResponse<String> other = gw.get("/v1/usage?tenant=globex", "authorization", "Bearer " + acme);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(other.body()).path("error").path("code").asText()).isEqualTo("permission_denied");

    HttpResponse<String> forged = gw.get("/v1/usage", "authorization", "Bearer ok_live_0123456789ab_madeup");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).doesNotContain("acme").doesNotContain("globex");

    // The admin still reads every tenant.
    HttpResponse<String> all = gw.get("/v1/usage", "authorization", "Bearer " + ADMIN);
    assertThat(JSON.readTree(all.body()).path("total").path("requests").asLong()).isEqualTo(3);
  }

  private HttpResponse<String> chat(String key, String content) {
    return gw.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + content + "\"}]}", "authorization", "Bearer " + key);
  }

  private String key(String tenant) throws Exception {
    HttpRequest create = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.gateway.port() + "/admin/keys"))
        .header("authorization", "Bearer " + ADMIN).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"tenant\":\"" + tenant + "\"}")).build();
    HttpResponse<String> r = gw.http.send(create, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).path("key").asText();
  }
}
