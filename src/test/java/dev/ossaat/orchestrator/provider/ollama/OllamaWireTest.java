package dev.ossaat.orchestrator.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.TestGateway;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ollama's NDJSON framing in any chunking, and the probe of its model list (/api/tags). */
class OllamaWireTest {
  @Test
  void ndjsonLinesBecomeEventsWhateverTheChunking() {
    String body = "{\"message\":{\"content\":\"Hé\"},\"done\":false}\r\n\n{\"done\":true,\"eval_count\":3}\n";
    Buffer all = Buffer.buffer(body);
    for (int cut = 0; cut <= all.length(); cut++) {
      List<String> events = new ArrayList<>();
      NdjsonFraming f = new NdjsonFraming();
      f.feed(all.getBuffer(0, cut), e -> events.add(e.toString()));
      f.feed(all.getBuffer(cut, all.length()), e -> events.add(e.toString()));
      assertThat(events).as("cut at %d", cut).containsExactly(
          "data: {\"message\":{\"content\":\"Hé\"},\"done\":false}\n\n", "data: {\"done\":true,\"eval_count\":3}\n\n");
    }
  }

  @Test
  void theProbeListsTags() {
    try (TestGateway gw = TestGateway.start("""
        health: {probes: {enabled: true, interval: 200ms, timeout: 2s}}
        providers:
          local: {type: ollama, baseUrl: "${SIM:ollama-probe}/ollama", model: llama3.2}
          gone: {type: ollama, baseUrl: "http://127.0.0.1:9", model: llama3.2}
        """)) {
      ObjectMapper json = new ObjectMapper();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        var providers = json.readTree(gw.get("/health/providers").body()).path("providers");
        assertThat(providers.path("local").path("status").asText()).isEqualTo("healthy");
        assertThat(providers.path("gone").path("status").asText()).isEqualTo("unhealthy");
      });
      assertThat(gw.simStats("ollama-probe").path("chatRequests").asLong()).as("probing costs no generation").isZero();
    }
  }
}
