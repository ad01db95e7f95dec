package dev.ossaat.orchestrator.identity;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.GatewayReplicas;
import dev.ossaat.orchestrator.testkit.LogCapture;
import dev.ossaat.orchestrator.testkit.ManualClock;
import dev.ossaat.orchestrator.testkit.RedisKeys;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code auth.mode: keys} through the real server, two replicas on the real Redis: keys created,
 * disabled, rotated and expired through the admin API, each refusal in the ingress format's shape.
 */
class ApiKeysTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ANTHROPIC = "{\"model\":\"sim-small\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  private final RedisKeys redis = new RedisKeys();
  private final ManualClock clock = new ManualClock();
  private GatewayReplicas gw;

  @BeforeEach
  void start() {
    gw = GatewayReplicas.start(2, """
        auth: {mode: keys, cacheTtl: 5s}
        admin: {token: admin-secret}
        redis: {keyPrefix: "%s", commandTimeout: 2s}
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, models: [sim-small, sim-large]}
        """.formatted(redis.prefix), clock);
  }

  @AfterEach
  void stop() {
    try {
      if (gw != null) gw.close();
    } finally {
      redis.close();
    }
  }

  @Test
  void aRequestWithoutAValidKeyIsRefusedInItsFormatsShape() throws Exception {
    HttpResponse<String> openai = gw.post(0, "/v1/chat/completions", chat("sim-small"));
    assertThat(openai.statusCode()).as(openai.body()).isEqualTo(401);
    JsonNode e = JSON.readTree(openai.body()).path("error");
    assertThat(e.path("type").asText()).isEqualTo("authentication_error");
    assertThat(e.path("code").asText()).isEqualTo("missing_api_key");

    HttpResponse<String> anthropic = gw.post(0, "/v1/messages", ANTHROPIC, "anthropic-version", "2023-06-01");
    assertThat(anthropic.statusCode()).isEqualTo(401);
    JsonNode a = JSON.readTree(anthropic.body());
    assertThat(a.path("type").asText()).isEqualTo("error");
    assertThat(a.path("error").path("type").asText()).isEqualTo("authentication_error");
    assertThat(anthropic.headers().firstValue("request-id")).isPresent();

    HttpResponse<String> forged = gw.post(0, "/v1/chat/completions", chat("sim-small"),
        "authorization", "Bearer ok_live_0123456789ab_madeup", "x-tenant-id", "acme");
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.body()).contains("\"code\":\"invalid_api_key\"");
    HttpResponse<String> notOurs = gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer sk-xyz");
    assertThat(notOurs.body()).contains("\"code\":\"invalid_api_key\"");
    // The model list too: a caller without a key learns nothing.
    assertThat(gw.send(HttpRequest.newBuilder(gw.uri(0, "/v1/models")).GET().build()).statusCode()).isEqualTo(401);
    // count_tokens is an API route like the others.
    HttpResponse<String> count = gw.post(0, "/v1/messages/count_tokens", ANTHROPIC, "anthropic-version", "2023-06-01");
    assertThat(count.statusCode()).isEqualTo(401);

    assertThat(gw.metrics(0).sum("orchestrator_auth_failures_total", "reason", "missing")).isEqualTo(3);
    assertThat(gw.metrics(0).sum("orchestrator_auth_failures_total", "reason", "invalid")).isEqualTo(2);
    assertThat(gw.simStats("a").path("requests").asInt()).isZero();
  }

  @Test
  void aKeyFixesTheTenantTheUserMayBeNamedAndTheKeyIsNeverLoggedOrListed() throws Exception {
    JsonNode created = create("{\"tenant\":\"acme\",\"name\":\"ci\"}");
    String key = created.path("key").asText();
    String id = created.path("id").asText();
    assertThat(key).startsWith("ok_live_" + id + "_");
    try (LogCapture log = new LogCapture()) {
      HttpResponse<String> ok = gw.post(0, "/v1/chat/completions",
          "{\"model\":\"sim-small\",\"user\":\"alice\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}",
          "authorization", "Bearer " + key, "x-tenant-id", "someone-else");
      assertThat(ok.statusCode()).isEqualTo(200);
      HttpResponse<String> anthropic = gw.post(1, "/v1/messages", ANTHROPIC, "anthropic-version", "2023-06-01", "x-api-key", key,
          "x-user-id", "bob");
      assertThat(anthropic.statusCode()).isEqualTo(200);
      // The line is written by the after-step, once the answer has gone out.
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(log.grep("request ", "tenant=acme", "user=alice", "key=" + id)).hasSize(1);
        assertThat(log.grep("request ", "tenant=acme", "user=bob", "key=" + id)).hasSize(1);
      });
      assertThat(String.join("\n", log.lines())).doesNotContain(key).doesNotContain(ApiKeyFormat.sha256(key));
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        gw.metrics(0).sum("orchestrator_provider_tokens_total", "tenant_id", "acme", "user_id", "alice")).isEqualTo(30));
    assertThat(gw.metrics(0).sum("orchestrator_provider_tokens_total", "tenant_id", "someone-else")).isZero();

    HttpResponse<String> models = gw.send(HttpRequest.newBuilder(gw.uri(1, "/v1/models")).header("authorization", "Bearer " + key)
        .GET().build());
    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(models.body()).contains("sim-small");
    HttpResponse<String> list = admin("GET", "/admin/keys", null);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains(id).contains("\"tenant\":\"acme\"").doesNotContain(key).doesNotContain("sha256");
    assertThat(admin("GET", "/admin/keys", null, "wrong-token").statusCode()).isEqualTo(403);
    assertThat(gw.send(HttpRequest.newBuilder(gw.uri(0, "/admin/keys")).GET().build()).statusCode()).isEqualTo(401);
  }

  @Test
  void aDisabledKeyIsRefusedAtOnceHereAndOnTheOtherReplicaAsSoonAsItHearsOfIt() {
    String key = create("{\"tenant\":\"acme\"}").path("key").asText();
    String id = ApiKeyFormat.idOf(key);
    assertThat(gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + key).statusCode()).isEqualTo(200);
    assertThat(gw.post(1, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + key).statusCode()).isEqualTo(200);

    assertThat(admin("PATCH", "/admin/keys/" + id, "{\"enabled\":false}").body()).contains("\"enabled\":false");
    HttpResponse<String> here = gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + key);
    assertThat(here.statusCode()).isEqualTo(401);
    assertThat(here.body()).contains("\"code\":\"api_key_disabled\"").contains(id);
    // The other replica hears of the change on the key-changes channel and forgets its copy; the clock
    // does not move, so this is not auth.cacheTtl expiring (that bound is for a missed message).
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        gw.post(1, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + key).statusCode() == 401);

    admin("PATCH", "/admin/keys/" + id, "{\"enabled\":true}");
    assertThat(gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + key).statusCode()).isEqualTo(200);
    assertThat(gw.metrics(1).sum("orchestrator_auth_failures_total", "reason", "disabled")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aRotatedKeyStopsAndItsSuccessorWorks() throws Exception {
    String old = create("{\"tenant\":\"acme\"}").path("key").asText();
    String id = ApiKeyFormat.idOf(old);
    HttpResponse<String> rotated = admin("POST", "/admin/keys/" + id + "/rotate", null);
    assertThat(rotated.statusCode()).isEqualTo(200);
    String fresh = JSON.readTree(rotated.body()).path("key").asText();
    assertThat(fresh).isNotEqualTo(old).startsWith("ok_live_" + id + "_");
    HttpResponse<String> refused = gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + old);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("invalid_api_key");
    assertThat(gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + fresh).statusCode()).isEqualTo(200);

    assertThat(admin("DELETE", "/admin/keys/" + id, null).statusCode()).isEqualTo(200);
    assertThat(gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + fresh).statusCode()).isEqualTo(401);
    assertThat(admin("GET", "/admin/keys/" + id, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aRotationWithAGracePeriodKeepsTheOldKeyWorkingUntilItEnds() throws Exception {
    String old = create("{\"tenant\":\"acme\"}").path("key").asText();
    String id = ApiKeyFormat.idOf(old);
    HttpResponse<String> rotated = admin("POST", "/admin/keys/" + id + "/rotate", "{\"graceSeconds\":60}");
    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
    assertThat(rotated.body()).contains("previousKeyValidUntil").doesNotContain("previousSha256");
    String fresh = JSON.readTree(rotated.body()).path("key").asText();
    assertThat(gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + old).statusCode()).isEqualTo(200);
    assertThat(gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + fresh).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(61));
    assertThat(gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + old).statusCode()).isEqualTo(401);
    assertThat(gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + fresh).statusCode()).isEqualTo(200);
    // A later change to the key keeps its state.
    assertThat(admin("PATCH", "/admin/keys/" + id, "{\"name\":\"renamed\"}").body()).contains("renamed");
    assertThat(gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + fresh).statusCode()).isEqualTo(200);
  }

  @Test
  void anExpiredKeyIsRefusedWithItsExpiry() {
    String key = create("{\"tenant\":\"acme\",\"expiresInSeconds\":3600}").path("key").asText();
    assertThat(gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + key).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(61));
    HttpResponse<String> expired = gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + key);
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.body()).contains("\"code\":\"api_key_expired\"").contains("expired at");
  }

  @Test
  void aModelTheKeyMayNotUseIsForbidden() throws Exception {
    String key = create("{\"tenant\":\"acme\",\"models\":[\"sim-small\"]}").path("key").asText();
    assertThat(gw.post(0, "/v1/chat/completions", chat("sim-small"), "authorization", "Bearer " + key).statusCode()).isEqualTo(200);
    HttpResponse<String> openai = gw.post(0, "/v1/chat/completions", chat("sim-large"), "authorization", "Bearer " + key);
    assertThat(openai.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(openai.body()).path("error").path("code").asText()).isEqualTo("model_not_allowed");
    HttpResponse<String> anthropic = gw.post(0, "/v1/messages", ANTHROPIC.replace("sim-small", "sim-large"),
        "anthropic-version", "2023-06-01", "x-api-key", key);
    assertThat(anthropic.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(anthropic.body()).path("error").path("type").asText()).isEqualTo("permission_error");
    assertThat(gw.metrics(0).sum("orchestrator_auth_failures_total", "reason", "model_not_allowed")).isEqualTo(2);
  }

  private JsonNode create(String body) {
    HttpResponse<String> r = admin("POST", "/admin/keys", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    try {
      return JSON.readTree(r.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> admin(String method, String path, String body) {
    return admin(method, path, body, "admin-secret");
  }

  private HttpResponse<String> admin(String method, String path, String body, String token) {
    return gw.send(HttpRequest.newBuilder(gw.uri(0, path)).header("authorization", "Bearer " + token)
        .header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build());
  }
}
