package dev.ossaat.orchestrator.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw HTTP/1.1 client over java.net.Socket, for what well-behaved clients never do. */
final class RawHttp implements AutoCloseable {
  final Socket socket;

  RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
  }

  RawHttp send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** What the server wrote and how the read ended. */
  record Ending(String received, boolean closed, long millis) {}

  /**
   * Reads until the server closes the connection (EOF or a reset), at most {@code boundMillis};
   * {@code closed} is false when the bound passed first.
   */
  Ending readUntilClosed(long boundMillis) throws IOException {
    long start = System.nanoTime();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    socket.setSoTimeout((int) boundMillis);
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    boolean closed;
    try {
      while (true) {
        int n = in.read(buffer);
        if (n < 0) {
          closed = true;
          break;
        }
        got.write(buffer, 0, n);
        long left = boundMillis - (System.nanoTime() - start) / 1_000_000;
        if (left <= 0) {
          closed = false;
          break;
        }
        socket.setSoTimeout((int) left);
      }
    } catch (SocketTimeoutException e) {
      closed = false;
    } catch (SocketException e) {
      closed = true; // a reset: closed with unread input
    }
    return new Ending(got.toString(StandardCharsets.ISO_8859_1), closed, (System.nanoTime() - start) / 1_000_000);
  }

  /** Reads one response whose body has a content-length (or none), leaving the connection open. */
  String readResponse(long boundMillis) throws IOException {
    socket.setSoTimeout((int) boundMillis);
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) throw new IOException("closed after: " + head);
      head.append((char) c);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return head + new String(body, StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
