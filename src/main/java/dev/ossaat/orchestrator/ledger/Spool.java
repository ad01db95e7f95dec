package dev.ossaat.orchestrator.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ossaat.orchestrator.config.LedgerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local append-only spool: every record is written here (one JSON line) before its request's
 * answer ends, and stays until it is in PostgreSQL. One writer thread does all file I/O with group
 * commit: it takes every record queued since its last write and appends them in one write (and, with
 * {@code fsync: always}, one fsync), then tells each caller. No event loop ever touches the file.
 *
 * <p>Files: {@code seg-<seq>.open} is being appended to; it is sealed, renamed
 * {@code seg-<seq>-<records>.ready}, when it reaches {@code segmentBytes} or is {@code shipInterval}
 * old. The shipper sends ready segments in order and deletes each once all its rows are in the
 * database. After a crash, an {@code .open} file is sealed at start (a torn last line, which no
 * answer waited for, is cut off) and shipped like the others. A lock file keeps a second process off
 * the same directory.
 */
final class Spool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.ledger");
  static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final Pattern OPEN = Pattern.compile("seg-(\\d{16})\\.open");
  private static final Pattern READY = Pattern.compile("seg-(\\d{16})-(\\d+)\\.ready");
  private static final int QUEUE_CAPACITY = 65_536;

  /** A sealed segment waiting to be shipped. */
  record Segment(Path path, long seq, long records, long bytes, long firstMillis) {}

  /** A record waiting for the writer; {@code done} is told true once it is in the file, false if dropped. */
  private record Entry(LedgerRecord record, Consumer<Boolean> done) {}

  private final Path dir;
  private final LedgerConfig config;
  private final LedgerMetrics metrics;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
  private final ConcurrentLinkedDeque<Segment> ready = new ConcurrentLinkedDeque<>();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong records = new AtomicLong();
  private final Thread writer;
  private volatile boolean running = true;
  private volatile long activeFirstMillis;
  private volatile Runnable onSealed = () -> {};

  // Writer thread only.
  private FileChannel active;
  private long activeSeq;
  private long activeBytes;
  private long activeRecords;
  private long nextSeq;
  private boolean dirty;
  private long lastSyncNanos = System.nanoTime();

  /** Opens (and recovers) the spool directory; blocking: call it on a worker thread at start. */
  Spool(LedgerConfig config, LedgerMetrics metrics) throws IOException {
    this.config = config;
    this.metrics = metrics;
    this.dir = config.spoolDir();
    Files.createDirectories(dir);
    lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      lockChannel.close();
      throw new IOException("ledger.spoolDir " + dir + " is in use by another orchestrator process (each replica needs its own)");
    }
    lock = l;
    recover();
    writer = new Thread(this::run, "orchestrator-ledger-spool");
    writer.setDaemon(true);
    writer.start();
  }

  /** Called on an event loop: queues the record for the writer. Never blocks. */
  void append(LedgerRecord record, Consumer<Boolean> done) {
    if (!running || !queue.offer(new Entry(record, done))) {
      metrics.dropped.labelValues("backlog").inc();
      done.accept(false);
    }
  }

  long bytes() {
    return bytes.get();
  }

  long records() {
    return records.get();
  }

  /** Age in seconds of the oldest record not yet shipped, 0 when there is none. */
  double oldestSeconds() {
    Segment first = ready.peekFirst();
    long oldest = first != null ? first.firstMillis() : activeFirstMillis;
    return oldest == 0 || records.get() == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000.0);
  }

  /** Called (on the writer thread) each time a segment becomes ready to ship. */
  void onSealed(Runnable action) {
    onSealed = action;
  }

  Segment oldestReady() {
    return ready.peekFirst();
  }

  /** Reads a sealed segment back; lines that cannot be parsed (a torn write) are counted and skipped. */
  List<LedgerRecord> read(Segment segment) throws IOException {
    byte[] data = Files.readAllBytes(segment.path());
    List<LedgerRecord> out = new ArrayList<>((int) Math.min(segment.records(), 100_000));
    int start = 0;
    for (int i = 0; i < data.length; i++) {
      if (data[i] != '\n') continue;
      if (i > start) {
        try {
          out.add(JSON.readValue(data, start, i - start, LedgerRecord.class));
        } catch (IOException e) {
          metrics.corrupt.inc();
        }
      }
      start = i + 1;
    }
    if (start < data.length) metrics.corrupt.inc();
    return out;
  }

  /** Every row of the segment is in the database: forget it. */
  void shipped(Segment segment) throws IOException {
    Files.deleteIfExists(segment.path());
    ready.remove(segment);
    bytes.addAndGet(-segment.bytes());
    records.addAndGet(-segment.records());
  }

  /** Stops taking records, writes those queued, seals the open segment and releases the directory. */
  @Override
  public void close() {
    running = false;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("ledger spool: releasing the lock of {} failed: {}", dir, e.toString());
    }
  }

  // ------------------------------------------------------------------ the writer thread

  private void run() {
    List<Entry> batch = new ArrayList<>(1024);
    while (running || !queue.isEmpty()) {
      try {
        Entry first = queue.poll(pollMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, 8191);
          write(batch);
          batch.clear();
        }
        housekeeping();
      } catch (InterruptedException e) {
        // only close() stops this thread (an interrupt would close the file channel under a write)
      } catch (RuntimeException e) {
        LOG.error("ledger spool writer: unexpected {}", e.toString());
        batch.forEach(en -> en.done().accept(false));
        batch.clear();
      }
    }
    seal();
  }

  private long pollMillis() {
    long wait = active == null ? 200 : Math.max(1, config.shipInterval().toMillis() - (System.currentTimeMillis() - activeFirstMillis));
    if (config.fsync() == LedgerConfig.Fsync.INTERVAL && dirty) wait = Math.min(wait, config.fsyncInterval().toMillis());
    return Math.min(wait, 200);
  }

  private void housekeeping() {
    if (active != null && activeRecords > 0 && System.currentTimeMillis() - activeFirstMillis >= config.shipInterval().toMillis()) {
      seal();
    }
    if (config.fsync() == LedgerConfig.Fsync.INTERVAL && dirty && active != null
        && System.nanoTime() - lastSyncNanos >= config.fsyncInterval().toNanos()) {
      try {
        active.force(false);
        dirty = false;
        lastSyncNanos = System.nanoTime();
      } catch (IOException e) {
        metrics.writeErrors.labelValues("spool").inc();
        LOG.error("ledger spool: fsync of segment {} failed: {}", activeSeq, e.toString());
      }
    }
  }

  private void write(List<Entry> batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 512);
    List<Entry> accepted = new ArrayList<>(batch.size());
    long room = config.maxSpoolBytes() - bytes.get();
    for (Entry e : batch) {
      byte[] line;
      try {
        line = JSON.writeValueAsBytes(e.record());
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      if (out.size() + line.length + 1 > room) {
        metrics.dropped.labelValues("spool_full").inc();
        e.done().accept(false);
        continue;
      }
      out.write(line, 0, line.length);
      out.write('\n');
      accepted.add(e);
    }
    if (accepted.isEmpty()) return;
    byte[] data = out.toByteArray();
    try {
      if (active != null && activeBytes > 0 && activeBytes + data.length > config.segmentBytes()) seal();
      if (active == null) openSegment();
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining()) active.write(buf);
      if (config.fsync() == LedgerConfig.Fsync.ALWAYS) {
        active.force(false);
      } else {
        dirty = true;
      }
    } catch (IOException ex) {
      metrics.writeErrors.labelValues("spool").inc();
      metrics.dropped.labelValues("write_error").inc(accepted.size());
      LOG.error("ledger spool: writing {} records to {} failed: {}", accepted.size(), dir, ex.toString());
      seal(); // what reached the file is shipped; the next write opens a fresh segment
      accepted.forEach(e -> e.done().accept(false));
      return;
    }
    activeBytes += data.length;
    activeRecords += accepted.size();
    bytes.addAndGet(data.length);
    records.addAndGet(accepted.size());
    metrics.spooled.inc(accepted.size());
    for (Entry e : accepted) e.done().accept(true);
  }

  private void openSegment() throws IOException {
    activeSeq = nextSeq++;
    active = FileChannel.open(dir.resolve(String.format("seg-%016d.open", activeSeq)), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    activeBytes = 0;
    activeRecords = 0;
    activeFirstMillis = System.currentTimeMillis();
  }

  /** Closes the open segment and hands it to the shipper. */
  private void seal() {
    if (active == null) return;
    Path open = dir.resolve(String.format("seg-%016d.open", activeSeq));
    try {
      if (dirty && config.fsync() != LedgerConfig.Fsync.NONE) active.force(false);
      active.close();
      if (activeRecords == 0) {
        Files.deleteIfExists(open);
      } else {
        Path sealed = dir.resolve(String.format("seg-%016d-%d.ready", activeSeq, activeRecords));
        Files.move(open, sealed, StandardCopyOption.ATOMIC_MOVE);
        ready.addLast(new Segment(sealed, activeSeq, activeRecords, activeBytes, activeFirstMillis));
        onSealed.run();
      }
    } catch (IOException e) {
      metrics.writeErrors.labelValues("spool").inc();
      LOG.error("ledger spool: sealing segment {} failed: {} (it is recovered at the next start)", activeSeq, e.toString());
    } finally {
      active = null;
      dirty = false;
      activeFirstMillis = 0;
    }
  }

  // ------------------------------------------------------------------ recovery at start

  private void recover() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.sorted().toList();
    }
    long maxSeq = -1;
    List<Segment> found = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString();
      Matcher open = OPEN.matcher(name);
      Matcher sealed = READY.matcher(name);
      if (open.matches()) {
        long seq = Long.parseLong(open.group(1));
        maxSeq = Math.max(maxSeq, seq);
        Segment s = recoverOpen(f, seq);
        if (s != null) found.add(s);
      } else if (sealed.matches()) {
        long seq = Long.parseLong(sealed.group(1));
        maxSeq = Math.max(maxSeq, seq);
        found.add(new Segment(f, seq, Long.parseLong(sealed.group(2)), Files.size(f), Files.getLastModifiedTime(f).toMillis()));
      }
    }
    found.sort(java.util.Comparator.comparingLong(Segment::seq));
    for (Segment s : found) {
      ready.addLast(s);
      bytes.addAndGet(s.bytes());
      records.addAndGet(s.records());
    }
    nextSeq = maxSeq + 1;
    if (!found.isEmpty()) {
      LOG.info("ledger spool {}: {} records in {} segments from an earlier run, to be shipped", dir, records.get(), found.size());
    }
  }

  /** A segment a crashed process was writing: cut a torn last line, count the lines, seal it. */
  private Segment recoverOpen(Path f, long seq) throws IOException {
    byte[] data = Files.readAllBytes(f);
    int end = data.length;
    while (end > 0 && data[end - 1] != '\n') end--;
    if (end < data.length) {
      metrics.corrupt.inc();
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
        ch.truncate(end);
      }
    }
    long lines = 0;
    for (int i = 0; i < end; i++) {
      if (data[i] == '\n') lines++;
    }
    if (lines == 0) {
      Files.delete(f);
      return null;
    }
    Path sealed = dir.resolve(String.format("seg-%016d-%d.ready", seq, lines));
    Files.move(f, sealed, StandardCopyOption.ATOMIC_MOVE);
    return new Segment(sealed, seq, lines, end, Files.getLastModifiedTime(sealed).toMillis());
  }
}
