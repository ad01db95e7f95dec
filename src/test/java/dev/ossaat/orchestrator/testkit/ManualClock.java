package dev.ossaat.orchestrator.testkit;

import dev.ossaat.orchestrator.resilience.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A clock that only moves when told to: {@link #advance} moves it forward and runs, on the calling
 * thread and in order of their due time, the timers that fall due on the way (each sees the clock at
 * its own due time). Nothing runs inside {@link #schedule}, however short the delay.
 */
public final class ManualClock implements Clock {
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private long now;
  private long sequence;

  /** Starts at an arbitrary reading far from zero, as {@link System#nanoTime} may. */
  public ManualClock() {
    this(1_000_000_000_000L);
  }

  public ManualClock(long startNanos) {
    this.now = startNanos;
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Timer schedule(long delayMillis, Runnable task) {
    Task t = new Task(now + Math.max(0, delayMillis) * 1_000_000, sequence++, task);
    tasks.add(t);
    return () -> {
      synchronized (ManualClock.this) {
        tasks.remove(t);
      }
    };
  }

  /** Moves the clock forward by {@code by}, running every timer that falls due meanwhile. */
  public void advance(Duration by) {
    long target;
    synchronized (this) {
      target = now + by.toNanos();
    }
    while (true) {
      Task due;
      synchronized (this) {
        due = tasks.peek();
        if (due == null || due.dueNanos > target) {
          now = Math.max(now, target);
          return;
        }
        tasks.poll();
        now = Math.max(now, due.dueNanos);
      }
      due.task.run();
    }
  }

  public void advanceMillis(long millis) {
    advance(Duration.ofMillis(millis));
  }

  /** Timers scheduled and neither run nor cancelled yet. */
  public synchronized int pendingTimers() {
    return tasks.size();
  }

  /** Due times of the pending timers, in nanoseconds from now, soonest first. */
  public synchronized List<Long> pendingDelaysNanos() {
    List<Task> sorted = new ArrayList<>(tasks);
    sorted.sort(null);
    return sorted.stream().map(t -> t.dueNanos - now).toList();
  }

  private record Task(long dueNanos, long sequence, Runnable task) implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      int c = Long.compare(dueNanos, o.dueNanos);
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
  }
}
