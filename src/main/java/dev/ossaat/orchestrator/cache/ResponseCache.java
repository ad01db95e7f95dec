package dev.ossaat.orchestrator.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ossaat.orchestrator.config.CacheConfig;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * In-process cache of whole (non-streaming) responses: bounded by {@code cache.maxSize} entries,
 * each living {@code cache.ttl}; optionally gzip-compressed ({@code cache.compressionEnabled}).
 */
public final class ResponseCache {
  private final Cache<String, byte[]> entries;
  private final boolean compress;

  public ResponseCache(CacheConfig config) {
    this.entries = Caffeine.newBuilder()
        .maximumSize(config.maxSize())
        .expireAfterWrite(config.ttl())
        .build();
    this.compress = config.compressionEnabled();
  }

  public Optional<Buffer> get(String key) {
    byte[] stored = entries.getIfPresent(key);
    return stored == null ? Optional.empty() : Optional.of(Buffer.buffer(compress ? gunzip(stored) : stored));
  }

  public void put(String key, Buffer body) {
    byte[] bytes = body.getBytes();
    entries.put(key, compress ? gzip(bytes) : bytes);
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

  private static byte[] gunzip(byte[] data) {
    try (GZIPInputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
      return gz.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
