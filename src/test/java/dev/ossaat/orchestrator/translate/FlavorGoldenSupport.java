package dev.ossaat.orchestrator.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;

/**
 * Golden files of an OpenAI client against an OpenAI-compatible service with quirks: the provider and
 * its simulator scenario share the service's name ({@link #flavor()}), which is what gives both sides
 * that service's behaviour (see provider/openai/OpenAiFlavor and sim/FlavoredChat).
 */
abstract class FlavorGoldenSupport extends GoldenTestBase {
  /** The provider's and scenario's name: {@code mistral} or {@code openrouter}. */
  abstract String flavor();

  @Override
  WireFormat client() {
    return WireFormat.OPENAI;
  }

  @Override
  WireFormat provider() {
    return WireFormat.OPENAI;
  }

  @Override
  String pair() {
    return "openai-to-" + flavor();
  }

  @Override
  @BeforeAll
  void startGateway() {
    gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          circuitBreaker: {threshold: 10000}
          %s:
            baseUrl: ${SIM:%s}
            apiKey: %s
            model: %s
            models: [%s]
        """.formatted(flavor(), flavor(), PROVIDER_KEY, model(), model()));
  }

  @Override
  void profile(String extra) {
    String base = "\"requireApiKey\":\"" + PROVIDER_KEY + "\",\"content\":\"" + CONTENT
        + "\",\"chunks\":3,\"latencyMs\":0,\"chunkIntervalMs\":0,\"promptTokens\":10,\"completionTokens\":20";
    gw.simulate(flavor(), "{" + base + (extra.isEmpty() ? "" : "," + extra) + "}");
  }

  @Override
  ObjectNode lastRequest() {
    HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.simUri("/_sim/scenarios/" + flavor() + "/last-request")).GET().build());
    return (ObjectNode) parse(r.body());
  }

  String chat(String fields, String messages) {
    return "{\"model\":\"" + model() + "\"" + (fields.isEmpty() ? "" : "," + fields) + ",\"messages\":" + messages + "}";
  }
}
