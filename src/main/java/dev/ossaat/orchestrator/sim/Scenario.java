package dev.ossaat.orchestrator.sim;

import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** One scenario's live state: its active profile and exact counters, updated from every event loop. */
final class Scenario {
  private final AtomicReference<ActiveProfile> active;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong chatRequests = new AtomicLong();
  private final AtomicLong streamRequests = new AtomicLong();
  private final AtomicLong embeddingRequests = new AtomicLong();
  private final AtomicLong messagesRequests = new AtomicLong();
  private final AtomicLong faultsInjected = new AtomicLong();
  private final AtomicLong clientClosedEarly = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  // Kept as the request's own buffer; decoded only when someone asks for stats.
  private volatile Buffer lastRequestBody;
  private volatile String lastAuthorization;
  private volatile LastRequest lastRequest;

  Scenario(SimProfile profile) {
    this.active = new AtomicReference<>(new ActiveProfile(profile));
  }

  ActiveProfile active() {
    return active.get();
  }

  void configure(SimProfile profile) {
    active.set(new ActiveProfile(profile));
  }

  SimStats stats() {
    Buffer body = lastRequestBody;
    return new SimStats(requests.get(), chatRequests.get(), streamRequests.get(), embeddingRequests.get(),
        faultsInjected.get(), clientClosedEarly.get(), inFlight.get(), body == null ? null : body.toString(),
        lastAuthorization, messagesRequests.get());
  }

  /** The last request with a body (chat, embeddings, messages, count_tokens), null before the first. */
  LastRequest lastRequest() {
    return lastRequest;
  }

  void requestRecorded(LastRequest request) {
    lastRequest = request;
  }

  void requestArrived(Endpoint endpoint, String authorization) {
    requests.incrementAndGet();
    inFlight.incrementAndGet();
    lastAuthorization = authorization;
    switch (endpoint) {
      case CHAT_COMPLETIONS -> chatRequests.incrementAndGet();
      case EMBEDDINGS -> embeddingRequests.incrementAndGet();
      case MESSAGES -> messagesRequests.incrementAndGet();
      case MODELS, COUNT_TOKENS -> { }
    }
  }

  void bodyReceived(Buffer body) {
    lastRequestBody = body;
  }

  void streamRequested() {
    streamRequests.incrementAndGet();
  }

  void faultInjected() {
    faultsInjected.incrementAndGet();
  }

  /** The simulator has answered, or deliberately broken the connection. */
  void requestFinished() {
    inFlight.decrementAndGet();
  }

  /** The client closed the connection before the simulator was done. */
  void requestAbandoned() {
    clientClosedEarly.incrementAndGet();
    inFlight.decrementAndGet();
  }
}
