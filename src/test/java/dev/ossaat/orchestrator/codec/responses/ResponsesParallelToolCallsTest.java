package dev.ossaat.orchestrator.codec.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.codec.StreamEncoder;
import dev.ossaat.orchestrator.codec.StreamOptions;
import dev.ossaat.orchestrator.codec.openai.OpenAiCodec;
import dev.ossaat.orchestrator.exchange.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parallel tool calls whose fragments an OpenAI-compatible provider interleaves reach a Responses
 * client as two function_call items, each with its own arguments, output indexes in order, and the
 * final response listing both (the simulator answers with one call, so this pair of codecs is driven
 * directly).
 */
class ResponsesParallelToolCallsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] CHUNKS = {
      "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":["
          + "{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"a\",\"arguments\":\"\"}},"
          + "{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"b\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
      "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"x\\\":\"}}]},\"finish_reason\":null}]}",
      "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"y\\\":2}\"}}]},\"finish_reason\":null}]}",
      "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]},\"finish_reason\":null}]}",
      "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"};

  @Test
  void interleavedCallsBecomeTwoFunctionCallItems() throws Exception {
    StreamDecoder decoder = OpenAiCodec.INSTANCE.streamDecoder();
    StreamEncoder encoder = ResponsesCodec.INSTANCE.streamEncoder(new StreamOptions(true, 10, 0));
    List<Buffer> out = new ArrayList<>();
    for (String chunk : CHUNKS) decoder.decode(Buffer.buffer("data: " + chunk + "\n\n"), e -> encoder.encode(e, out::add));
    encoder.finish(new Usage(10, 5, 0, 0, 0, false), out::add);
    List<JsonNode> events = new ArrayList<>();
    for (Buffer b : out) {
      String text = b.toString();
      events.add(JSON.readTree(text.substring(text.indexOf("data: ") + 6).trim()));
    }
    for (int i = 0; i < events.size(); i++) assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
    List<JsonNode> done = events.stream().filter(e -> e.path("type").asText().equals("response.function_call_arguments.done")).toList();
    assertThat(done).hasSize(2);
    assertThat(done.get(0).path("arguments").asText()).isEqualTo("{\"x\":1}");
    assertThat(done.get(0).path("output_index").asInt()).isEqualTo(0);
    assertThat(done.get(1).path("arguments").asText()).isEqualTo("{\"y\":2}");
    assertThat(done.get(1).path("output_index").asInt()).isEqualTo(1);
    JsonNode completed = events.get(events.size() - 1);
    assertThat(completed.path("type").asText()).isEqualTo("response.completed");
    JsonNode output = completed.path("response").path("output");
    assertThat(output).hasSize(2);
    assertThat(output.get(0).path("call_id").asText()).isEqualTo("call_a");
    assertThat(output.get(1).path("call_id").asText()).isEqualTo("call_b");
    assertThat(output.get(1).path("name").asText()).isEqualTo("b");
    assertThat(completed.path("response").path("usage").path("total_tokens").asInt()).isEqualTo(15);
  }
}
