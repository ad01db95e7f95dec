package dev.ossaat.orchestrator.store;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A Lua script with its SHA1, for {@link SharedRedis#eval}: sent by hash, loaded only when Redis lacks it. */
public record RedisScript(String source, String sha1) {
  public static RedisScript of(String source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return new RedisScript(source, HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  Request request(Command command, String scriptOrHash, List<String> keys, List<String> args) {
    Request r = Request.cmd(command).arg(scriptOrHash).arg(keys.size());
    for (String k : keys) r.arg(k);
    for (String a : args) r.arg(a);
    return r;
  }
}
