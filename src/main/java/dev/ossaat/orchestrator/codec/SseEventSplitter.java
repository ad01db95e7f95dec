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
      // Netty's indexOf reads eight bytes at a time (line feeds are rare): this runs over every byte of every stream.
      int lf = bytes.indexOf(base + i, base + len, (byte) '\n');
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

  private static final byte[] USAGE = "\"usage\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] NULL = "null".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * What an event is, from its bytes. This runs for every event of every stream, so the markers are
   * found with {@link String#indexOf(String)} over the bytes as Latin-1 text (one char per byte, one
   * copy): the JVM compiles that search to vector instructions, many times cheaper than a loop per
   * byte. {@code "error"} and {@code "usage"} are looked for with their quotes: a JSON string cannot
   * hold a bare quote, so a match is a member name or a string value, never a model's text.
   */
  public static Kind classify(Buffer event) {
    String t = event.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    int first = t.indexOf("data:");
    if (first < 0) return Kind.COMMENT;
    int from = first + 5;
    if (from < t.length() && t.charAt(from) == ' ') from++;
    if (t.startsWith("[DONE]", from)) return Kind.DONE;
    if (t.indexOf("\ndata:", from) >= 0) return Kind.NOTABLE; // several data lines: decoded, then judged
    if (t.indexOf("\"error\"", from) >= 0) return Kind.NOTABLE;
    Kind kind = Kind.PLAIN;
    for (int u = t.indexOf("\"usage\"", from); u >= 0; u = t.indexOf("\"usage\"", u + 7)) {
      if (!isNull(t, u + 7)) return Kind.NOTABLE;
      kind = Kind.NULL_USAGE;
    }
    return kind;
  }

  /** Whether the JSON value after a key (past the colon and spaces) is {@code null}. */
  private static boolean isNull(String t, int afterKey) {
    int i = afterKey;
    while (i < t.length() && (t.charAt(i) == ' ' || t.charAt(i) == ':')) i++;
    return t.startsWith("null", i);
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
