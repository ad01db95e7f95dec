package dev.ossaat.orchestrator.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A key prefix of a test's own in the machine's real Redis, and its clean-up: every key under it is
 * deleted afterwards (by one Lua SCAN loop, over a plain socket so it needs no client of ours).
 */
public final class RedisKeys implements AutoCloseable {
  public final String prefix = "orchestrator-test:" + UUID.randomUUID() + ":";

  /** How many keys exist under the prefix. */
  public long count() {
    return Long.parseLong(eval("local n=0 local c='0' repeat local r=redis.call('SCAN',c,'MATCH',ARGV[1]..'*','COUNT',1000) "
        + "c=r[1] n=n+#r[2] until c=='0' return n"));
  }

  @Override
  public void close() {
    eval("local n=0 local c='0' repeat local r=redis.call('SCAN',c,'MATCH',ARGV[1]..'*','COUNT',1000) c=r[1] "
        + "for _,k in ipairs(r[2]) do redis.call('DEL',k) n=n+1 end until c=='0' return n");
  }

  private String eval(String script) {
    try (Socket s = new Socket("127.0.0.1", 6379)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      String[] args = {"EVAL", script, "0", prefix};
      StringBuilder cmd = new StringBuilder("*" + args.length + "\r\n");
      for (String a : args) {
        byte[] b = a.getBytes(StandardCharsets.UTF_8);
        cmd.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
      }
      out.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') line.append((char) c);
      String reply = line.toString().trim();
      if (reply.startsWith("-")) throw new IllegalStateException("redis: " + reply);
      return reply.substring(1);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
