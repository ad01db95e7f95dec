package dev.ossaat.orchestrator.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway and simulated provider the OpenAI SDK tests share: one OpenAI-compatible provider whose
 * simulator scenario insists on the provider's own key, so a passing test also shows that the gateway
 * sent its credential and not the client's.
 */
final class OpenAiCompat {
  static final String SCENARIO = "oai";
  static final String PROVIDER_KEY = "sk-oai-compat-000111";
  static final String CHAT_MODEL = "gpt-4o-mini";
  static final String EMBEDDING_MODEL = "text-embedding-3-small";
  static final String CONTENT = "Compat answer from the simulated provider.";
  static final int PROMPT_TOKENS = 12;
  static final int COMPLETION_TOKENS = 7;
  static final String EMBEDDING_INPUT_1 = "alpha";
  static final String EMBEDDING_INPUT_2 = "beta";
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenAiCompat() {}

  static TestGateway start() {
    // maxAttempts 1: each SDK call is one provider call, so a fault reaches the client unretried.
    return TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          oai:
            baseUrl: ${SIM:oai}
            apiKey: %s
            model: %s
            models: [%s, %s]
        """.formatted(PROVIDER_KEY, CHAT_MODEL, CHAT_MODEL, EMBEDDING_MODEL));
  }

  /** The normal profile of every test; a test adds a fault on top with {@link #profile(String)}. */
  static void healthy(TestGateway gw) {
    gw.simulate(SCENARIO, profile(""));
  }

  static String profile(String extraFields) {
    return "{\"requireApiKey\":\"" + PROVIDER_KEY + "\",\"content\":\"" + CONTENT + "\",\"chunks\":4,\"promptTokens\":"
        + PROMPT_TOKENS + ",\"completionTokens\":" + COMPLETION_TOKENS + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
  }

  static long providerRequests(TestGateway gw) {
    return gw.simStats(SCENARIO).path("requests").asLong();
  }

  /** The vectors the simulated provider itself returns for the two inputs (floats, asked directly). */
  static List<List<Double>> referenceVectors(TestGateway gw) {
    String body = "{\"model\":\"" + EMBEDDING_MODEL + "\",\"encoding_format\":\"float\",\"input\":[\"" + EMBEDDING_INPUT_1
        + "\",\"" + EMBEDDING_INPUT_2 + "\"]}";
    HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.simUri("/" + SCENARIO + "/v1/embeddings"))
        .header("content-type", "application/json").header("authorization", "Bearer " + PROVIDER_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    if (r.statusCode() != 200) throw new IllegalStateException("simulator embeddings: " + r.statusCode() + " " + r.body());
    try {
      List<List<Double>> out = new ArrayList<>();
      for (JsonNode item : JSON.readTree(r.body()).path("data")) {
        List<Double> v = new ArrayList<>();
        item.path("embedding").forEach(x -> v.add(x.asDouble()));
        out.add(v);
      }
      return out;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
