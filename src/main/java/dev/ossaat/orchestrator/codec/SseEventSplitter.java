package dev.ossaat.orchestrator.codec;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Cuts a byte stream of Server-Sent Events into whole events (each ending in a blank line), whatever
 * the TCP chunking. Events are delivered as slices of the input where possible, without copying.
 */
public final class SseEventSplitter {
  private static final int MAX_PENDING = 1 << 20; // one event larger than 1 MiB is a broken stream
  private Buffer pending;

  /**
   * Feeds bytes; calls {@code onEvent} for every complete event, including its terminating blank line.
   *
   * @throws IllegalStateException when an unterminated event grows beyond 1 MiB
   */
  public void feed(Buffer chunk, Consumer<Buffer> onEvent) {
    Buffer data = chunk;
    if (pending != null && pending.length() > 0) {
      pending.appendBuffer(chunk);
      data = pending;
    }
    pending = null; // taken now: a consumer that throws must not make the next chunk replay these events
    int start = 0;
    int len = data.length();
    io.netty.buffer.ByteBuf bytes = ((io.vertx.core.internal.buffer.BufferInternal) data).getByteBuf();
    int base = bytes.readerIndex();
    int i = 0;
    while (i < len) {
      // Netty's own search, not a bounds-checked read per byte: this runs over every byte of every stream.
      int lf = bytes.forEachByte(base + i, len - i, io.netty.util.ByteProcessor.FIND_LF);
      if (lf < 0) break;
      i = lf - base;
      // An event ends at "\n\n" or "\n\r\n".
      int next = i + 1;
      if (next < len && bytes.getByte(base + next) == '\r') next++;
      if (next < len && bytes.getByte(base + next) == '\n') {
        onEvent.accept(data.slice(start, next + 1));
        start = next + 1;
        i = next;
      }
      i++;
    }
    if (start >= len) {
      pending = null;
    } else {
      if (len - start > MAX_PENDING) throw new IllegalStateException("SSE event larger than 1 MiB");
      pending = Buffer.buffer(len - start + 256).appendBuffer(data, start, len - start);
    }
  }

  /** Bytes received after the last complete event. */
  public boolean hasPartialEvent() {
    return pending != null && pending.length() > 0;
  }

  /** What an event is, told from its bytes without decoding them (this runs for every event). */
  public enum Kind {
    /** No data line: a comment or keep-alive. */
    COMMENT,
    /** {@code data: [DONE]}. */
    DONE,
    /** Mentions usage or an error, or spans several data lines: worth decoding. */
    NOTABLE,
    /** An ordinary chunk, passed on as bytes. */
    PLAIN,
    /** An ordinary chunk with {@code "usage": null} (OpenAI's chunks once usage is asked for): no usage yet. */
    NULL_USAGE
  }

  private static final byte[] DATA = "data:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] DONE_MARK = "[DONE]".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] USAGE = "\"usage\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] ERROR = "\"error\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] NULL = "null".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * One pass over the event's bytes (this runs for every event of every stream, so it looks at each
   * byte once, not once per marker): the first {@code data:} line, whether another follows, and every
   * {@code "error"} or {@code "usage"} key, found where a quote starts one. A JSON string cannot hold
   * those words between real quotes (quotes inside strings are escaped), so a match is a key or a
   * string value, never a model's text.
   */
  public static Kind classify(Buffer event) {
    byte[] b = bytesOf(event);
    int len = b.length;
    int first = indexOf(b, len, DATA, 0);
    if (first < 0) return Kind.COMMENT;
    int from = first + DATA.length;
    if (from < len && b[from] == ' ') from++;
    if (startsWith(b, len, DONE_MARK, from)) return Kind.DONE;
    Kind kind = Kind.PLAIN;
    for (int i = from; i < len; i++) {
      byte c = b[i];
      if (c == '"') {
        if (startsWith(b, len, ERROR, i)) return Kind.NOTABLE;
        if (startsWith(b, len, USAGE, i)) {
          if (!isNull(b, len, i + USAGE.length)) return Kind.NOTABLE;
          kind = Kind.NULL_USAGE;
          i += USAGE.length - 1;
        }
      } else if (c == '\n' && startsWith(b, len, DATA, i + 1)) {
        return Kind.NOTABLE; // several data lines: decoded, then judged
      }
    }
    return kind;
  }

  /** Whether the JSON value after a key (past the colon and spaces) is {@code null}. */
  private static boolean isNull(byte[] b, int len, int afterKey) {
    int i = afterKey;
    while (i < len && (b[i] == ' ' || b[i] == ':')) i++;
    return startsWith(b, len, NULL, i);
  }

  /**
   * The event without its {@code "usage":null} member (OpenAI puts one in every chunk once usage is
   * asked for): for a client that did not ask, spliced out of the bytes, not re-serialised.
   */
  public static Buffer withoutNullUsage(Buffer event) {
    byte[] b = bytesOf(event);
    int len = b.length;
    int key = indexOf(b, len, USAGE, 0);
    if (key < 0) return event;
    int end = key + USAGE.length;
    while (end < len && (b[end] == ' ' || b[end] == ':')) end++;
    if (!startsWith(b, len, NULL, end)) return event;
    end += NULL.length;
    int start = key;
    // Take the comma that joined it to the previous member (or, when it came first, the one after it).
    int before = start - 1;
    while (before >= 0 && b[before] == ' ') before--;
    if (before >= 0 && b[before] == ',') {
      start = before;
    } else {
      int after = end;
      while (after < len && b[after] == ' ') after++;
      if (after < len && b[after] == ',') end = after + 1;
    }
    return Buffer.buffer(len).appendBytes(b, 0, start).appendBytes(b, end, len - end);
  }

  /**
   * The event's bytes as an array, copied once (events are a few hundred bytes): scanning an array
   * is several times cheaper than a bounds-checked read per byte through the buffer.
   */
  private static byte[] bytesOf(Buffer event) {
    return event.getBytes();
  }

  private static boolean startsWith(byte[] b, int len, byte[] prefix, int at) {
    if (at < 0 || at + prefix.length > len) return false;
    for (int i = 0; i < prefix.length; i++) {
      if (b[at + i] != prefix[i]) return false;
    }
    return true;
  }

  private static int indexOf(byte[] b, int len, byte[] needle, int from) {
    int last = len - needle.length;
    byte first = needle[0];
    for (int i = Math.max(0, from); i <= last; i++) {
      if (b[i] == first && startsWith(b, len, needle, i)) return i;
    }
    return -1;
  }

  /** The {@code data:} payload of one event (lines joined with \n), or null when it has none. */
  public static String data(Buffer event) {
    String text = event.toString(java.nio.charset.StandardCharsets.UTF_8);
    StringBuilder out = null;
    int start = 0;
    int len = text.length();
    while (start < len) { // line by line, without a regex: this runs for every event of every stream
      int end = text.indexOf('\n', start);
      if (end < 0) end = len;
      int lineEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
      if (text.startsWith("data:", start)) {
        int from = start + 5 < lineEnd && text.charAt(start + 5) == ' ' ? start + 6 : start + 5;
        String value = text.substring(Math.min(from, lineEnd), lineEnd);
        if (out == null) {
          out = new StringBuilder(value);
        } else {
          out.append('\n').append(value);
        }
      }
      start = end + 1;
    }
    return out == null ? null : out.toString();
  }
}
