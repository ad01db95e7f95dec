package dev.ossaat.orchestrator.translate;

import dev.ossaat.orchestrator.codec.ChatCodec;
import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.exchange.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps what a stream relayed, bounded and in the provider's format, so its completion tokens can
 * be estimated if the provider never reports usage (a stream cut short, a client that left). Events
 * are only referenced on the hot path; they are decoded only in the rare case an estimate is needed.
 */
final class Transcript {
  private static final int MAX_KEPT_BYTES = 64 * 1024;

  private final List<Buffer> kept = new ArrayList<>();
  private int keptBytes;
  private long droppedBytes;

  void add(Buffer event) {
    if (keptBytes + event.length() <= MAX_KEPT_BYTES) {
      kept.add(event);
      keptBytes += event.length();
    } else {
      droppedBytes += event.length();
    }
  }

  /** The generated text (answer, reasoning, tool arguments), with the size of any part beyond the bound scaled in. */
  Estimate completion(ChatCodec providerCodec) {
    StringBuilder text = new StringBuilder();
    StreamDecoder decoder = providerCodec.streamDecoder();
    for (Buffer event : kept) {
      try {
        decoder.decode(event, e -> {
          if (e instanceof StreamEvent.TextDelta t) text.append(t.text());
          else if (e instanceof StreamEvent.ReasoningDelta r) text.append(r.text());
          else if (e instanceof StreamEvent.ToolArgumentsDelta a) text.append(a.partialJson());
        });
      } catch (RuntimeException e) {
        // a malformed event carried no countable text
      }
    }
    double scale = keptBytes == 0 ? 1 : 1 + (double) droppedBytes / keptBytes;
    return new Estimate(text.toString(), scale);
  }

  /** Text that was kept, and the factor by which the whole stream was larger. */
  record Estimate(String text, double scale) {}
}
