package dev.ossaat.orchestrator.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventSplitterTest {
  @Test
  void eventsAreReassembledWhateverTheChunking() {
    String stream = "data: {\"a\":1}\n\ndata: {\"b\":2}\r\n\r\n: keep-alive\n\ndata: [DONE]\n\n";
    for (int size = 1; size <= stream.length(); size++) {
      SseEventSplitter splitter = new SseEventSplitter();
      List<String> events = new ArrayList<>();
      for (int i = 0; i < stream.length(); i += size) {
        splitter.feed(Buffer.buffer(stream.substring(i, Math.min(stream.length(), i + size))), e -> events.add(e.toString()));
      }
      assertThat(events).as("chunk size %d", size)
          .containsExactly("data: {\"a\":1}\n\n", "data: {\"b\":2}\r\n\r\n", ": keep-alive\n\n", "data: [DONE]\n\n");
      assertThat(splitter.hasPartialEvent()).isFalse();
    }
  }

  @Test
  void dataPayloadsAreExtracted() {
    assertThat(SseEventSplitter.data(Buffer.buffer("data: [DONE]\n\n"))).isEqualTo("[DONE]");
    assertThat(SseEventSplitter.data(Buffer.buffer("event: x\ndata:a\ndata: b\n\n"))).isEqualTo("a\nb");
    assertThat(SseEventSplitter.data(Buffer.buffer(": comment\n\n"))).isNull();
  }
}
