package dev.ossaat.orchestrator.telemetry;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Log lines to standard output from one background thread, written in batches: under load the lines
 * of up to {@value #LINGER_MS} ms go out in one {@code write(2)}; on a quiet gateway a line goes out at
 * once.
 *
 * <p>Why not logback's {@code AsyncAppender} in front of a {@code ConsoleAppender}: that pair costs one
 * system call per line (the JVM's {@code System.out} flushes on every write), which the profile put at
 * about a tenth of the process's CPU with one request log line per request. Like the pair it replaces,
 * it never blocks the caller (an event loop): with the queue full (8,192 lines waiting) a line is dropped.
 */
public final class BatchingStdoutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  /** How long the writer waits after a batch before taking the next one: the most a line is held back. */
  private static final long LINGER_MS = 10;
  private Encoder<ILoggingEvent> encoder;
  private int queueSize = 8192;
  private BlockingQueue<ILoggingEvent> queue;
  private OutputStream out;
  private Thread writer;

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("no encoder for appender " + name);
      return;
    }
    queue = new ArrayBlockingQueue<>(Math.max(16, queueSize));
    out = new BufferedOutputStream(new SystemOut(), 64 * 1024);
    writer = new Thread(this::drain, "orchestrator-log-writer");
    writer.setDaemon(true);
    super.start();
    writer.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing(); // the message and arguments are read here, not later on the writer
    queue.offer(event); // false when full: dropped, as the AsyncAppender it replaces did with neverBlock
  }

  /**
   * The writer's loop. After writing a batch it lingers {@code LINGER_MS} before looking again, so that
   * under load it wakes about a hundred times a second, not once per line: an event loop that queues a
   * line while the writer lingers wakes nobody (no futex, no context switch, which cost more than the
   * line itself). On a quiet gateway the writer waits on the queue and a line goes out at once.
   */
  private void drain() {
    List<ILoggingEvent> batch = new ArrayList<>(256);
    try {
      while (isStarted() || !queue.isEmpty()) {
        ILoggingEvent first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) continue;
        do {
          batch.add(first);
          queue.drainTo(batch, 4095);
          write(batch);
          batch.clear();
          out.flush();
          if (!isStarted()) break;
          Thread.sleep(LINGER_MS);
          first = queue.poll();
        } while (first != null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      addError("standard output failed", e);
    }
    flushRest();
  }

  private void write(List<ILoggingEvent> batch) throws IOException {
    for (ILoggingEvent e : batch) out.write(encoder.encode(e));
  }

  private void flushRest() {
    List<ILoggingEvent> rest = new ArrayList<>();
    queue.drainTo(rest);
    try {
      write(rest);
      out.flush();
    } catch (IOException e) {
      addError("standard output failed", e);
    }
  }

  /**
   * {@code System.out} as it is at each write (a test harness may replace it), reached once per batch:
   * the buffer in front of it hands over whole batches, and the JVM's stream writes each in one call.
   */
  private static final class SystemOut extends OutputStream {
    @Override
    public void write(int b) {
      System.out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      System.out.write(b, off, len);
    }

    @Override
    public void flush() {
      System.out.flush();
    }
  }

  @Override
  public void stop() {
    if (!isStarted()) return;
    super.stop(); // the writer sees it, writes what is queued, flushes and ends
    try {
      writer.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
