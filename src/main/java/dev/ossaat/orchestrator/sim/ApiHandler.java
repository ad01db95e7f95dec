package dev.ossaat.orchestrator.sim;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves the OpenAI endpoints: authentication, validation, the fault drawn for the request, the latency,
 * then the answer. The scenario's profile is taken once, at arrival, so a concurrent reconfiguration
 * affects only later requests.
 */
final class ApiHandler {
  private static final String BEARER = "Bearer ";

  private final Vertx vertx;
  private final AtomicLong completionIds = new AtomicLong();

  ApiHandler(Vertx vertx) {
    this.vertx = vertx;
  }

  void handle(HttpServerRequest request, Endpoint endpoint, Scenario scenario) {
    ActiveProfile active = scenario.active();
    scenario.requestArrived(endpoint, request.getHeader(HttpHeaders.AUTHORIZATION));
    Exchange exchange = new Exchange(vertx, request, scenario);
    // A failed body means the client went away while uploading; the exchange has counted that already.
    request.body().onSuccess(body -> answer(exchange, active, endpoint, body));
  }

  private void answer(Exchange exchange, ActiveProfile active, Endpoint endpoint, Buffer body) {
    Scenario scenario = exchange.scenario();
    if (endpoint.isInference()) {
      scenario.bodyReceived(body);
    }
    String requiredKey = active.profile().requireApiKey();
    if (requiredKey != null && !(BEARER + requiredKey).equals(exchange.header(HttpHeaders.AUTHORIZATION))) {
      exchange.sendJson(401, OpenAiErrors.INVALID_API_KEY);
      return;
    }
    ApiRequest parsed;
    try {
      parsed = ApiRequest.parse(endpoint, body);
    } catch (BadRequestException e) {
      exchange.sendJson(400, OpenAiErrors.invalidRequest(e.getMessage()));
      return;
    }
    if (parsed.stream()) {
      scenario.streamRequested();
    }
    Fault fault = endpoint.isInference() ? active.drawFault() : Fault.NONE;
    if (fault != Fault.NONE) {
      scenario.faultInjected();
    }
    exchange.after(active.headerDelayMs(), () -> deliver(exchange, active, endpoint, parsed, fault));
  }

  private void deliver(Exchange exchange, ActiveProfile active, Endpoint endpoint, ApiRequest request,
      Fault fault) {
    SimProfile profile = active.profile();
    switch (fault) {
      case NONE -> succeed(exchange, active, endpoint, request, false);
      case CUT_STREAM -> succeed(exchange, active, endpoint, request, true);
      case ERROR -> exchange.sendJson(profile.errorStatus(), OpenAiErrors.simulated(profile.errorStatus()));
      case RATE_LIMIT -> rateLimit(exchange, profile);
      case RESET -> exchange.resetConnection();
      case HANG -> { } // never answer: the exchange counts the client giving up
    }
  }

  private void succeed(Exchange exchange, ActiveProfile active, Endpoint endpoint, ApiRequest request,
      boolean cut) {
    ResponseBodies bodies = active.bodies();
    switch (endpoint) {
      case CHAT_COMPLETIONS -> chat(exchange, active.profile(), bodies, request, cut);
      case EMBEDDINGS -> sendBody(exchange, bodies.embeddings(request.model(), request.inputs()), cut);
      case MODELS -> sendBody(exchange, ResponseBodies.MODELS, cut);
    }
  }

  private void chat(Exchange exchange, SimProfile profile, ResponseBodies bodies, ApiRequest request,
      boolean cut) {
    String id = "chatcmpl-sim-" + completionIds.incrementAndGet();
    long created = System.currentTimeMillis() / 1000;
    if (!request.stream()) {
      sendBody(exchange, bodies.completion(id, created, request.model()), cut);
      return;
    }
    List<String> events = bodies.contentEvents(id, created, request.model());
    if (cut) {
      events = events.subList(0, Math.min(profile.cutAfterChunks(), events.size()));
    }
    String trailer = cut ? null : bodies.streamTrailer(id, created, request.model(), request.includeUsage());
    exchange.stream(events, trailer, profile.ttftMs(), profile.chunkIntervalMs());
  }

  private static void sendBody(Exchange exchange, String body, boolean cut) {
    if (cut) {
      exchange.sendTruncatedJson(body);
    } else {
      exchange.sendJson(200, body);
    }
  }

  private static void rateLimit(Exchange exchange, SimProfile profile) {
    HttpServerResponse response = exchange.response();
    if (profile.retryAfterSeconds() != null) {
      response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(profile.retryAfterSeconds()));
    }
    if (profile.retryAfterMs() != null) {
      response.putHeader("retry-after-ms", String.valueOf(profile.retryAfterMs()));
    }
    exchange.sendJson(429, OpenAiErrors.RATE_LIMITED);
  }
}
