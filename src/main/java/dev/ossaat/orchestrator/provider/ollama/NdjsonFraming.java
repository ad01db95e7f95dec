package dev.ossaat.orchestrator.provider.ollama;

import dev.ossaat.orchestrator.provider.StreamFraming;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/** Newline-delimited JSON, one object a line, handed on as {@code data: <line>} events; a line is bounded at 1 MiB. */
final class NdjsonFraming implements StreamFraming {
  private static final int MAX_LINE = 1 << 20;
  private Buffer pending = Buffer.buffer();

  @Override
  public void feed(Buffer chunk, Consumer<Buffer> onEvent) {
    pending.appendBuffer(chunk);
    int start = 0;
    int len = pending.length();
    for (int i = 0; i < len; i++) {
      if (pending.getByte(i) != '\n') continue;
      int end = i > start && pending.getByte(i - 1) == '\r' ? i - 1 : i;
      if (end > start) {
        onEvent.accept(Buffer.buffer(end - start + 8).appendString("data: ").appendBuffer(pending, start, end - start).appendString("\n\n"));
      }
      start = i + 1;
    }
    if (len - start > MAX_LINE) throw new IllegalStateException("NDJSON line larger than 1 MiB");
    pending = start == 0 ? pending : pending.getBuffer(start, len);
  }
}
