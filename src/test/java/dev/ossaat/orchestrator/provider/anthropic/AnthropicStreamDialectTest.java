package dev.ossaat.orchestrator.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.StreamDialect;
import dev.ossaat.orchestrator.provider.StreamSink;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Usage split across message_start and message_delta is merged; an unreadable part never throws. */
class AnthropicStreamDialectTest {
  private final List<Usage> reports = new ArrayList<>();
  private final StreamSink sink = new StreamSink() {
    @Override public void event(Buffer sseEvent) { }
    @Override public void usage(Usage usage) { reports.add(usage); }
    @Override public void end() { }
    @Override public void fail(ProviderException error) { }
  };

  private static Buffer event(String type, String data) {
    return Buffer.buffer("event: " + type + "\ndata: " + data + "\n\n");
  }

  @Test
  void bothPartsCountAndABrokenPartIsLeftToTheEstimate() {
    AnthropicStreamDialect dialect = new AnthropicStreamDialect("anthro");
    assertThat(dialect.inspect(event("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":"
        + "{\"input_tokens\":200,\"cache_read_input_tokens\":600,\"cache_creation_input_tokens\":200,\"output_tokens\":1}}}"), sink))
        .isEqualTo(StreamDialect.Action.FORWARD);
    assertThat(dialect.inspect(event("message_delta", "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":12"), sink))
        .as("a truncated part is passed on, not thrown").isEqualTo(StreamDialect.Action.FORWARD);
    assertThat(dialect.inspect(event("message_delta", "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":50}}"), sink))
        .isEqualTo(StreamDialect.Action.FORWARD);
    Usage last = reports.get(reports.size() - 1);
    assertThat(last.promptTokens()).isEqualTo(1000);
    assertThat(last.cacheReadTokens()).isEqualTo(600);
    assertThat(last.cacheWriteTokens()).isEqualTo(200);
    assertThat(last.completionTokens()).isEqualTo(50);
    assertThat(dialect.inspect(event("message_stop", "{\"type\":\"message_stop\"}"), sink))
        .isEqualTo(StreamDialect.Action.FORWARD_AND_END);
  }
}
