package dev.ossaat.orchestrator.provider.bedrock;

import dev.ossaat.orchestrator.codec.bedrock.BedrockStreamEvents;
import dev.ossaat.orchestrator.codec.bedrock.EventStreamCodec;
import dev.ossaat.orchestrator.provider.StreamFraming;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/** ConverseStream's binary event stream, cut into messages and handed on as SSE-shaped events. */
final class EventStreamFraming implements StreamFraming {
  private final EventStreamCodec.Decoder decoder = new EventStreamCodec.Decoder();

  @Override
  public void feed(Buffer chunk, Consumer<Buffer> onEvent) {
    decoder.feed(chunk, m -> onEvent.accept(BedrockStreamEvents.toSse(m)));
  }
}
