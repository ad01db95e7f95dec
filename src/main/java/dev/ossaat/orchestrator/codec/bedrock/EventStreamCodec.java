package dev.ossaat.orchestrator.codec.bedrock;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * AWS's event-stream binary framing, both ways. A message is: total length (4 bytes, big-endian),
 * headers length (4), CRC32 of those 8 bytes (4), the headers (name length (1), name, value type
 * (1), value), the payload, and the CRC32 of everything before it (4).
 *
 * <p>Decoding is incremental ({@link Decoder#feed}): bytes arrive however TCP cut them and every
 * whole message is delivered as soon as its last byte is in; a partial one waits, bounded. A CRC
 * mismatch or an impossible length is a broken stream ({@link EventStreamException}): nothing after it
 * can be trusted.
 */
public final class EventStreamCodec {
  /** AWS caps a message at 16 MiB of payload and 128 KiB of headers. */
  public static final int MAX_MESSAGE = 16 * 1024 * 1024 + 128 * 1024 + 16;
  private static final int PRELUDE = 12;
  private static final int MIN_MESSAGE = 16;

  private EventStreamCodec() {}

  /** One message with string headers, in order. */
  public static Buffer encode(Map<String, String> headers, byte[] payload) {
    Buffer h = Buffer.buffer();
    headers.forEach((name, value) -> {
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      byte[] v = value.getBytes(StandardCharsets.UTF_8);
      h.appendByte((byte) n.length).appendBytes(n).appendByte((byte) 7).appendShort((short) v.length).appendBytes(v);
    });
    int total = PRELUDE + h.length() + payload.length + 4;
    Buffer out = Buffer.buffer(total).appendInt(total).appendInt(h.length());
    out.appendUnsignedInt(crc(out, 0, 8));
    out.appendBuffer(h).appendBytes(payload);
    out.appendUnsignedInt(crc(out, 0, out.length()));
    return out;
  }

  private static long crc(Buffer b, int from, int to) {
    CRC32 crc = new CRC32();
    crc.update(b.getBytes(from, to));
    return crc.getValue();
  }

  /** A broken frame: CRC mismatch, impossible lengths, unreadable headers. */
  public static final class EventStreamException extends RuntimeException {
    public EventStreamException(String message) {
      super(message, null, false, false);
    }
  }

  /** Cuts a byte stream into messages. One per stream; not thread-safe. */
  public static final class Decoder {
    private final int maxMessage;
    private Buffer pending = Buffer.buffer();

    public Decoder() {
      this(MAX_MESSAGE);
    }

    public Decoder(int maxMessage) {
      this.maxMessage = maxMessage;
    }

    /**
     * Feeds bytes; calls {@code out} for every whole message.
     *
     * @throws EventStreamException for a broken frame
     * @throws IllegalStateException for a message larger than the bound
     */
    public void feed(Buffer chunk, Consumer<EventStreamMessage> out) {
      pending.appendBuffer(chunk);
      int at = 0;
      while (pending.length() - at >= PRELUDE) {
        long total = pending.getUnsignedInt(at);
        long headersLength = pending.getUnsignedInt(at + 4);
        long preludeCrc = pending.getUnsignedInt(at + 8);
        if (crc(pending, at, at + 8) != preludeCrc) throw new EventStreamException("event-stream prelude CRC mismatch");
        if (total < MIN_MESSAGE || headersLength > total - MIN_MESSAGE) {
          throw new EventStreamException("event-stream message with impossible lengths (total " + total
              + ", headers " + headersLength + ")");
        }
        if (total > maxMessage) throw new IllegalStateException("event-stream message of " + total + " bytes");
        if (pending.length() - at < total) break;
        int end = at + (int) total;
        long messageCrc = pending.getUnsignedInt(end - 4);
        if (crc(pending, at, end - 4) != messageCrc) throw new EventStreamException("event-stream message CRC mismatch");
        Map<String, String> headers = headers(pending, at + PRELUDE, at + PRELUDE + (int) headersLength);
        byte[] payload = pending.getBytes(at + PRELUDE + (int) headersLength, end - 4);
        at = end;
        out.accept(new EventStreamMessage(headers, payload));
      }
      pending = at == 0 ? pending : pending.getBuffer(at, pending.length());
    }

    /** Bytes received after the last whole message. */
    public boolean hasPartialMessage() {
      return pending.length() > 0;
    }
  }

  static Map<String, String> headers(Buffer b, int from, int to) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = from;
    try {
      while (i < to) {
        int nameLength = b.getUnsignedByte(i++);
        String name = b.getString(i, i + nameLength, "UTF-8");
        i += nameLength;
        int type = b.getUnsignedByte(i++);
        String value;
        switch (type) {
          case 0 -> value = "true";
          case 1 -> value = "false";
          case 2 -> value = String.valueOf(b.getByte(i++));
          case 3 -> {
            value = String.valueOf(b.getShort(i));
            i += 2;
          }
          case 4 -> {
            value = String.valueOf(b.getInt(i));
            i += 4;
          }
          case 5, 8 -> {
            value = String.valueOf(b.getLong(i));
            i += 8;
          }
          case 6, 7 -> {
            int length = b.getUnsignedShort(i);
            i += 2;
            value = type == 7 ? b.getString(i, i + length, "UTF-8")
                : java.util.Base64.getEncoder().encodeToString(b.getBytes(i, i + length));
            i += length;
          }
          case 9 -> {
            value = new UUID(b.getLong(i), b.getLong(i + 8)).toString();
            i += 16;
          }
          default -> throw new EventStreamException("event-stream header '" + name + "' of unknown type " + type);
        }
        if (i > to) throw new EventStreamException("event-stream header '" + name + "' runs past the headers");
        out.put(name, value);
      }
    } catch (IndexOutOfBoundsException e) {
      throw new EventStreamException("event-stream headers run past the message");
    }
    return out;
  }
}
