package dev.ossaat.orchestrator.codec.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.codec.StreamEncoder;
import dev.ossaat.orchestrator.codec.StreamOptions;
import dev.ossaat.orchestrator.codec.anthropic.AnthropicCodec;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/**
 * Parallel tool calls whose fragments a provider interleaves (every call's header first, the
 * arguments after) reach an Anthropic client with each call's own arguments: blocks cannot
 * interleave, so the calls after the first are held whole and follow at the end.
 */
class ParallelToolCallsStreamTest {
  private static final String[] CHUNKS = {
      "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":["
          + "{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"a\",\"arguments\":\"\"}},"
          + "{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"b\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
      "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"x\\\":\"}}]},\"finish_reason\":null}]}",
      "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"y\\\":2}\"}}]},\"finish_reason\":null}]}",
      "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]},\"finish_reason\":null}]}",
      "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"};

  @Test
  void interleavedCallsKeepTheirOwnArguments() {
    StreamDecoder decoder = OpenAiCodec.INSTANCE.streamDecoder();
    StreamEncoder encoder = AnthropicCodec.INSTANCE.streamEncoder(new StreamOptions(true, 10, 0));
    StringBuilder out = new StringBuilder();
    for (String chunk : CHUNKS) {
      decoder.decode(Buffer.buffer("data: " + chunk + "\n\n"), e -> encoder.encode(e, b -> out.append(b)));
    }
    encoder.finish(null, b -> out.append(b));
    String stream = out.toString();
    // call_a streamed as it came (block 0), call_b whole at the end (block 1)
    assertThat(stream).contains("\"content_block\":{\"type\":\"tool_use\",\"id\":\"call_a\",\"name\":\"a\",\"input\":{}}");
    assertThat(stream).contains("\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"x\\\":\"}");
    assertThat(stream).contains("\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"1}\"}");
    assertThat(stream).contains("\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"call_b\",\"name\":\"b\",\"input\":{}}");
    assertThat(stream).contains("\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"y\\\":2}\"}");
    assertThat(stream).contains("\"stop_reason\":\"tool_use\"");
    assertThat(stream.indexOf("call_b")).isGreaterThan(stream.lastIndexOf("\"index\":0,\"delta\""));
  }
}
