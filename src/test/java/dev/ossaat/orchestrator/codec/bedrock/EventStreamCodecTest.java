package dev.ossaat.orchestrator.codec.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AWS event-stream framing: byte layout, round trips in any chunking, CRC and length errors. */
class EventStreamCodecTest {
  static Buffer message(String type, String json) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(":event-type", type);
    h.put(":content-type", "application/json");
    h.put(":message-type", "event");
    return EventStreamCodec.encode(h, json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The layout AWS documents, checked byte by byte on a message with no headers and no payload:
   * total length 16, headers length 0, the prelude CRC, then the message CRC. CRC32 of eight zero
   * bytes after 0x00000010 is 0x05c248eb; the whole-message CRC is 0x7d98c8ff.
   */
  @Test
  void emptyMessageHasTheDocumentedLayout() {
    Buffer m = EventStreamCodec.encode(Map.of(), new byte[0]);
    assertThat(HexFormat.of().formatHex(m.getBytes())).isEqualTo("00000010" + "00000000" + "05c248eb" + "7d98c8ff");
  }

  @Test
  void roundTripsWholeAndByteByByte() {
    Buffer a = message("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hé\"}}");
    Buffer b = message("messageStop", "{\"stopReason\":\"end_turn\"}");
    Buffer both = a.copy().appendBuffer(b);

    List<EventStreamMessage> whole = new ArrayList<>();
    new EventStreamCodec.Decoder().feed(both, whole::add);
    assertThat(whole).hasSize(2);
    assertThat(whole.get(0).header(":event-type")).isEqualTo("contentBlockDelta");
    assertThat(new String(whole.get(0).payload(), StandardCharsets.UTF_8)).contains("Hé");
    assertThat(whole.get(1).messageType()).isEqualTo("event");

    for (int cut = 1; cut < both.length(); cut += 7) {
      List<EventStreamMessage> split = new ArrayList<>();
      EventStreamCodec.Decoder d = new EventStreamCodec.Decoder();
      d.feed(both.getBuffer(0, cut), split::add);
      d.feed(both.getBuffer(cut, both.length()), split::add);
      assertThat(split).as("cut at %d", cut).hasSize(2);
      assertThat(d.hasPartialMessage()).isFalse();
    }
    List<EventStreamMessage> bytes = new ArrayList<>();
    EventStreamCodec.Decoder d = new EventStreamCodec.Decoder();
    for (int i = 0; i < both.length(); i++) {
      d.feed(both.getBuffer(i, i + 1), bytes::add);
      if (i == a.length() - 2) assertThat(bytes).as("nothing before the first message's last byte").isEmpty();
    }
    assertThat(bytes).extracting(m -> m.header(":event-type")).containsExactly("contentBlockDelta", "messageStop");
  }

  @Test
  void aCorruptPreludeOrMessageIsABrokenStream() {
    Buffer m = message("messageStop", "{\"stopReason\":\"end_turn\"}");
    Buffer prelude = m.copy();
    prelude.setByte(2, (byte) (prelude.getByte(2) ^ 1));
    assertThatThrownBy(() -> new EventStreamCodec.Decoder().feed(prelude, x -> { }))
        .isInstanceOf(EventStreamCodec.EventStreamException.class).hasMessageContaining("prelude CRC");
    Buffer payload = m.copy();
    payload.setByte(payload.length() - 8, (byte) 'X');
    assertThatThrownBy(() -> new EventStreamCodec.Decoder().feed(payload, x -> { }))
        .isInstanceOf(EventStreamCodec.EventStreamException.class).hasMessageContaining("message CRC");
  }

  @Test
  void anOversizedMessageIsRefusedFromItsPrelude() {
    Buffer big = message("contentBlockDelta", "{\"text\":\"" + "x".repeat(2000) + "\"}");
    assertThatThrownBy(() -> new EventStreamCodec.Decoder(1024).feed(big.getBuffer(0, 12), x -> { }))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void exceptionsAndEventsBecomeSseShapedEvents() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(":exception-type", "throttlingException");
    h.put(":content-type", "application/json");
    h.put(":message-type", "exception");
    List<EventStreamMessage> out = new ArrayList<>();
    new EventStreamCodec.Decoder().feed(EventStreamCodec.encode(h, "{\"message\":\"slow down\",\n\"code\":1}".getBytes(StandardCharsets.UTF_8)), out::add);
    assertThat(BedrockStreamEvents.toSse(out.get(0)).toString()).isEqualTo("event: throttlingException\ndata: {\"message\":\"slow down\", \"code\":1}\n\n");
  }

  /** A generic error message ({@code :message-type: error}) names its code and message in headers. */
  @Test
  void errorMessagesBecomeAnErrorEvent() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(":message-type", "error");
    h.put(":error-code", "InternalFailure");
    h.put(":error-message", "stream broke");
    List<EventStreamMessage> out = new ArrayList<>();
    new EventStreamCodec.Decoder().feed(EventStreamCodec.encode(h, new byte[0]), out::add);
    assertThat(BedrockStreamEvents.toSse(out.get(0)).toString())
        .isEqualTo("event: error\ndata: {\"code\":\"InternalFailure\",\"message\":\"stream broke\"}\n\n");
  }
}
