package dev.ossaat.orchestrator.cache;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Identical requests in flight at once on this pod reach the provider once: the first (the leader)
 * calls, the others wait for its answer. Shared by every event loop of the pod, hence concurrent; a
 * leader always lands its flight (with its answer, or null when it has none to share) and the waiters
 * then go on their own.
 */
final class SingleFlight {
  private final ConcurrentHashMap<String, Promise<CachedAnswer>> flights = new ConcurrentHashMap<>();

  /** Null when {@code mine} now leads the flight of {@code key}; otherwise the leader's answer to come. */
  Future<CachedAnswer> join(String key, Promise<CachedAnswer> mine) {
    Promise<CachedAnswer> leader = flights.putIfAbsent(key, mine);
    return leader == null ? null : leader.future();
  }

  /** Ends the flight: waiters get {@code answer} (null: none to share). Idempotent. */
  void land(String key, Promise<CachedAnswer> mine, CachedAnswer answer) {
    flights.remove(key, mine);
    mine.tryComplete(answer);
  }

  int inFlight() {
    return flights.size();
  }
}
