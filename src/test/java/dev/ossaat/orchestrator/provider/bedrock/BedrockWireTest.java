package dev.ossaat.orchestrator.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.codec.bedrock.EventStreamCodec;
import dev.ossaat.orchestrator.codec.bedrock.EventStreamMessage;
import dev.ossaat.orchestrator.provider.auth.SigV4;
import dev.ossaat.orchestrator.sim.BedrockKeys;
import dev.ossaat.orchestrator.testkit.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bedrock on the wire: the simulator's own answers in Bedrock's format (a signed request sent by
 * hand), the probe (ListFoundationModels; an invoke-only role counts as healthy, a bad signature
 * does not), and a corrupt event-stream frame from an upstream reaching the client as a broken
 * stream, never as a clean end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BedrockWireTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
  TestGateway gw;
  HttpServer corrupt;

  @BeforeAll
  void start() {
    gw = TestGateway.start("""
        health: {probes: {enabled: true, interval: 200ms, timeout: 2s}}
        providers:
          retry: {maxAttempts: 1}
          good:
            type: bedrock
            region: us-east-1
            baseUrl: ${SIM:wire}
            aws: {accessKeyId: %s, secretAccessKey: "%s"}
            model: "%s"
          invokeonly:
            type: bedrock
            region: us-east-1
            baseUrl: ${SIM:wire-invoke}
            aws: {accessKeyId: %s, secretAccessKey: "%s"}
            model: "amazon.nova-pro-v1:0"
          badsig:
            type: bedrock
            region: us-east-1
            baseUrl: ${SIM:wire-bad}
            aws: {accessKeyId: %s, secretAccessKey: "wrong-secret"}
            model: "amazon.nova-lite-v1:0"
        """.formatted(BedrockKeys.ACCESS_KEY_ID, BedrockKeys.SECRET_ACCESS_KEY, MODEL,
        BedrockKeys.INVOKE_ONLY_ACCESS_KEY_ID, BedrockKeys.INVOKE_ONLY_SECRET_ACCESS_KEY, BedrockKeys.ACCESS_KEY_ID));
  }

  @AfterAll
  void stop() {
    if (corrupt != null) TestGateway.await(corrupt.close());
    if (gw != null) gw.close();
  }

  /** A Converse request signed by hand, as any AWS client would send it. */
  HttpResponse<byte[]> signed(String path, String body, String secret) {
    URI uri = gw.simUri(path);
    String host = uri.getHost() + ":" + uri.getPort();
    String amzDate = SigV4.amzDate(Instant.now());
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("content-type", List.of("application/json"));
    headers.put("host", List.of(host));
    headers.put("x-amz-date", List.of(amzDate));
    SigV4.Signature s = SigV4.sign("POST", uri.getRawPath(), null, headers,
        SigV4.sha256Hex(body.getBytes(StandardCharsets.UTF_8)), secret, "us-east-1", "bedrock", amzDate);
    HttpRequest request = HttpRequest.newBuilder(uri).header("content-type", "application/json").header("x-amz-date", amzDate)
        .header("authorization", s.authorization(BedrockKeys.ACCESS_KEY_ID))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      return gw.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static final String CONVERSE = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Say hello\"}]}]}";

  @Test
  void theSimulatorRefusesABadSignatureInBedrocksFormat() throws Exception {
    HttpResponse<byte[]> r = signed("/sim-direct/bedrock/model/" + SigV4.wirePathSegment(MODEL) + "/converse", CONVERSE, "wrong");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("x-amzn-errortype").orElse("")).startsWith("InvalidSignatureException:");
    assertThat(JSON.readTree(r.body()).path("message").asText()).startsWith("The request signature we calculated does not match");
  }

  @Test
  void theSimulatorsFaultsAreInBedrocksFormat() throws Exception {
    gw.simulate("sim-fault", "{\"fault\":\"rate_limit\",\"faultCount\":1}");
    HttpResponse<byte[]> r = signed("/sim-fault/bedrock/model/" + SigV4.wirePathSegment(MODEL) + "/converse", CONVERSE,
        BedrockKeys.SECRET_ACCESS_KEY);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("x-amzn-errortype").orElse("")).startsWith("ThrottlingException:");
    assertThat(JSON.readTree(r.body()).path("message").asText()).isEqualTo("Too many requests, please wait before trying again.");
  }

  /** ConverseStream's answer as AWS frames it: event-stream messages with their headers, usage with cache tokens last. */
  @Test
  void theSimulatorStreamsRealEventStreamFrames() throws Exception {
    gw.simulate("sim-stream", "{\"content\":\"Hi there\",\"chunks\":2,\"promptTokens\":50,\"cachedPromptTokens\":10,"
        + "\"cacheCreationTokens\":5,\"completionTokens\":4}");
    HttpResponse<byte[]> r = signed("/sim-stream/bedrock/model/" + SigV4.wirePathSegment(MODEL) + "/converse-stream", CONVERSE,
        BedrockKeys.SECRET_ACCESS_KEY);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).isEqualTo("application/vnd.amazon.eventstream");
    List<EventStreamMessage> messages = new ArrayList<>();
    new EventStreamCodec.Decoder().feed(Buffer.buffer(r.body()), messages::add);
    assertThat(messages).extracting(m -> m.header(":event-type")).containsExactly(
        "messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata");
    assertThat(messages).allSatisfy(m -> {
      assertThat(m.messageType()).isEqualTo("event");
      assertThat(m.header(":content-type")).isEqualTo("application/json");
    });
    JsonNode usage = JSON.readTree(messages.get(5).payload()).path("usage");
    assertThat(usage).isEqualTo(JSON.readTree(
        "{\"inputTokens\":35,\"outputTokens\":4,\"totalTokens\":54,\"cacheReadInputTokens\":10,\"cacheWriteInputTokens\":5}"));
  }

  @Test
  void probesListFoundationModelsAndAnInvokeOnlyRoleIsHealthy() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode providers = JSON.readTree(gw.get("/health/providers").body()).path("providers");
      assertThat(providers.path("good").path("status").asText()).isEqualTo("healthy");
      assertThat(providers.path("invokeonly").path("status").asText()).isEqualTo("healthy");
      assertThat(providers.path("badsig").path("status").asText()).isEqualTo("unhealthy");
      assertThat(providers.path("badsig").path("lastErrorMessage").asText()).contains("InvalidSignatureException");
    });
    assertThat(gw.simStats("wire").path("requests").asLong()).as("the probes reached the model list").isGreaterThan(0);
  }

  /** A frame whose CRC does not match, after the answer began: the client sees the text so far, then an error. */
  @Test
  void aCorruptFrameBreaksTheStream() throws Exception {
    Buffer start = frame("messageStart", "{\"role\":\"assistant\"}");
    Buffer delta = frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Partial\"}}");
    Buffer broken = frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" answer\"}}");
    broken.setByte(broken.length() - 6, (byte) 'X');
    corrupt = TestGateway.await(gw.vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      req.response().setChunked(true).putHeader("content-type", "application/vnd.amazon.eventstream");
      req.response().write(start.copy().appendBuffer(delta));
      gw.vertx.setTimer(50, t -> req.response().end(broken));
    })).listen(0, "127.0.0.1"));
    try (TestGateway other = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          broken:
            type: bedrock
            region: us-east-1
            baseUrl: http://127.0.0.1:%d
            aws: {accessKeyId: AKIAANY, secretAccessKey: any}
            model: "amazon.nova-pro-v1:0"
        """.formatted(corrupt.actualPort()))) {
      HttpResponse<String> r = other.post("/v1/chat/completions", TestGateway.streamingChat("amazon.nova-pro-v1:0", false));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("Partial").contains("event: error").doesNotContain("[DONE]").doesNotContain(" answer");
    }
  }

  static Buffer frame(String type, String json) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(":event-type", type);
    h.put(":content-type", "application/json");
    h.put(":message-type", "event");
    return EventStreamCodec.encode(h, json.getBytes(StandardCharsets.UTF_8));
  }
}
