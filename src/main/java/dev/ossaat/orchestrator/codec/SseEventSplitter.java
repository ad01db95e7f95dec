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
    int start = 0;
    int len = data.length();
    for (int i = 0; i < len; i++) {
      if (data.getByte(i) != '\n') continue;
      // An event ends at "\n\n" or "\n\r\n".
      int next = i + 1;
      if (next < len && data.getByte(next) == '\r') next++;
      if (next < len && data.getByte(next) == '\n') {
        onEvent.accept(data.slice(start, next + 1));
        start = next + 1;
        i = next;
      }
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

  public static Kind classify(Buffer event) {
    int first = indexOf(event, DATA, 0);
    if (first < 0) return Kind.COMMENT;
    if (indexOf(event, DATA, first + DATA.length) >= 0) return Kind.NOTABLE;
    int from = first + DATA.length;
    if (from < event.length() && event.getByte(from) == ' ') from++;
    if (startsWith(event, DONE_MARK, from)) return Kind.DONE;
    if (indexOf(event, ERROR, from) >= 0) return Kind.NOTABLE;
    int usage = indexOf(event, USAGE, from);
    if (usage >= 0) return isNull(event, usage + USAGE.length) ? Kind.NULL_USAGE : Kind.NOTABLE;
    return Kind.PLAIN;
  }

  /** Whether the JSON value after a key (past the colon and spaces) is {@code null}. */
  private static boolean isNull(Buffer b, int afterKey) {
    int i = afterKey;
    while (i < b.length() && (b.getByte(i) == ' ' || b.getByte(i) == ':')) i++;
    return startsWith(b, NULL, i);
  }

  /**
   * The event without its {@code "usage":null} member (OpenAI puts one in every chunk once usage is
   * asked for): for a client that did not ask, spliced out of the bytes, not re-serialised.
   */
  public static Buffer withoutNullUsage(Buffer event) {
    int key = indexOf(event, USAGE, 0);
    if (key < 0) return event;
    int end = key + USAGE.length;
    while (end < event.length() && (event.getByte(end) == ' ' || event.getByte(end) == ':')) end++;
    if (!startsWith(event, NULL, end)) return event;
    end += NULL.length;
    int start = key;
    // Take the comma that joined it to the previous member (or, when it came first, the one after it).
    int before = start - 1;
    while (before >= 0 && event.getByte(before) == ' ') before--;
    if (before >= 0 && event.getByte(before) == ',') {
      start = before;
    } else {
      int after = end;
      while (after < event.length() && event.getByte(after) == ' ') after++;
      if (after < event.length() && event.getByte(after) == ',') end = after + 1;
    }
    return Buffer.buffer(event.length()).appendBuffer(event, 0, start).appendBuffer(event, end, event.length() - end);
  }

  private static boolean startsWith(Buffer b, byte[] prefix, int at) {
    if (at + prefix.length > b.length()) return false;
    for (int i = 0; i < prefix.length; i++) {
      if (b.getByte(at + i) != prefix[i]) return false;
    }
    return true;
  }

  private static int indexOf(Buffer b, byte[] needle, int from) {
    int last = b.length() - needle.length;
    for (int i = from; i <= last; i++) {
      if (b.getByte(i) == needle[0] && startsWith(b, needle, i)) return i;
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
