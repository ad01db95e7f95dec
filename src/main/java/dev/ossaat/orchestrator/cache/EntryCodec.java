package dev.ossaat.orchestrator.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.exchange.Usage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The bytes of one entry, the same in memory and in Redis: a version byte, a flags byte (bit 0: the
 * rest is gzip), then a 4-byte length, the entry's metadata as JSON (provider, model, usage, expiry)
 * and the answer's body. The flag travels with the entry, so replicas configured differently still read
 * each other's entries. Compressing and decompressing run on a worker thread
 * ({@code executeBlocking}), never on an event loop; without compression the work is a copy and stays inline.
 */
final class EntryCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte VERSION = 1;
  private static final byte GZIP = 1;

  private final Vertx vertx;
  private final boolean compress;

  EntryCodec(Vertx vertx, boolean compress) {
    this.vertx = vertx;
    this.compress = compress;
  }

  Future<byte[]> encode(CachedAnswer answer) {
    if (!compress) return Future.succeededFuture(encode(answer, false));
    return vertx.executeBlocking(() -> encode(answer, true), false);
  }

  /** Empty when the bytes are not an entry of this version (another release's, or garbage): a miss. */
  Future<CachedAnswer> decode(byte[] stored) {
    if (stored.length < 2 || stored[0] != VERSION) return Future.succeededFuture(null);
    if ((stored[1] & GZIP) == 0) return Future.succeededFuture(decodeOrNull(stored));
    return vertx.executeBlocking(() -> decodeOrNull(stored), false);
  }

  static byte[] encode(CachedAnswer answer, boolean gzip) {
    ObjectNode meta = JSON.createObjectNode()
        .put("p", answer.provider())
        .put("m", answer.model())
        .put("e", answer.expiresAtMillis());
    Usage u = answer.usage();
    meta.putArray("u").add(u.promptTokens()).add(u.completionTokens()).add(u.cacheReadTokens())
        .add(u.cacheWriteTokens()).add(u.reasoningTokens()).add(u.estimated() ? 1 : 0);
    byte[] metaBytes = meta.toString().getBytes(StandardCharsets.UTF_8);
    byte[] body = answer.body().getBytes();
    Buffer payload = Buffer.buffer(4 + metaBytes.length + body.length)
        .appendInt(metaBytes.length).appendBytes(metaBytes).appendBytes(body);
    byte[] rest = gzip ? gzip(payload.getBytes()) : payload.getBytes();
    byte[] out = new byte[rest.length + 2];
    out[0] = VERSION;
    out[1] = gzip ? GZIP : 0;
    System.arraycopy(rest, 0, out, 2, rest.length);
    return out;
  }

  static CachedAnswer decodeOrNull(byte[] stored) {
    try {
      byte[] rest = java.util.Arrays.copyOfRange(stored, 2, stored.length);
      Buffer payload = Buffer.buffer((stored[1] & GZIP) != 0 ? gunzip(rest) : rest);
      int metaLength = payload.getInt(0);
      JsonNode meta = JSON.readTree(payload.getBytes(4, 4 + metaLength));
      ArrayNode u = (ArrayNode) meta.get("u");
      Usage usage = new Usage(u.get(0).asLong(), u.get(1).asLong(), u.get(2).asLong(), u.get(3).asLong(), u.get(4).asLong(),
          u.get(5).asInt() == 1);
      return new CachedAnswer(payload.getBuffer(4 + metaLength, payload.length()), meta.get("p").asText(),
          meta.get("m").asText(), usage, meta.get("e").asLong());
    } catch (IOException | RuntimeException e) {
      return null; // unreadable: treated as absent
    }
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] data) throws IOException {
    try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(data))) {
      return gz.readAllBytes();
    }
  }
}
