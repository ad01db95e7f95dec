package dev.ossaat.orchestrator.sim;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves the Gemini API: {@code generateContent}, {@code streamGenerateContent?alt=sse},
 * {@code embedContent}, {@code batchEmbedContents} and the model list. The key must come in
 * {@code x-goog-api-key} (a {@code key=} query parameter is refused, so a test sees a gateway that
 * puts credentials in URLs); a wrong key is Google's 400 API_KEY_INVALID, a missing one its 403. The
 * same profile controls (latency, chunks, usage, faults) as the other formats, with Google's error
 * bodies; the safety system is driven from the prompt ({@link GeminiRequest#BLOCK_PROMPT},
 * {@link GeminiRequest#SAFETY_STOP}). Counted as chat, embeddings and model-list requests.
 */
final class GeminiHandler {
  private final Vertx vertx;
  private final AtomicLong responseIds = new AtomicLong();

  GeminiHandler(Vertx vertx) {
    this.vertx = vertx;
  }

  void handle(HttpServerRequest request, GeminiRoute route, Scenario scenario) {
    ActiveProfile active = scenario.active();
    Endpoint endpoint = route.endpoint();
    scenario.requestArrived(endpoint, request.getHeader(GeminiRoute.API_KEY_HEADER));
    Exchange exchange = new Exchange(vertx, request, scenario);
    if (route.isModels()) {
      answer(exchange, active, route, Buffer.buffer());
      return;
    }
    request.body().onSuccess(body -> answer(exchange, active, route, body));
  }

  private void answer(Exchange exchange, ActiveProfile active, GeminiRoute route, Buffer body) {
    Scenario scenario = exchange.scenario();
    Endpoint endpoint = route.endpoint();
    String requiredKey = active.profile().requireApiKey();
    String key = exchange.header(GeminiRoute.API_KEY_HEADER);
    boolean keyMatched = requiredKey == null || requiredKey.equals(key);
    if (!route.isModels()) {
      scenario.bodyReceived(body);
      LastRequest last = LastRequest.of(exchange, endpoint, body, requiredKey == null ? null : keyMatched);
      scenario.requestRecorded(new LastRequest(last.method(), exchange.request().uri(), last.headers(), last.apiKeyMatched(),
          endpoint, body));
    }
    if (exchange.request().getParam("key") != null) {
      exchange.sendJson(400, GeminiErrorBodies.KEY_IN_URL);
      return;
    }
    if (!keyMatched) {
      exchange.sendJson(key == null ? 403 : 400, key == null ? GeminiErrorBodies.UNREGISTERED : GeminiErrorBodies.API_KEY_INVALID);
      return;
    }
    long delayMs = active.headerDelayMs();
    if (route.isModels()) {
      exchange.after(delayMs, () -> exchange.sendJson(200, GeminiBodies.MODELS));
      return;
    }
    try {
      if (route.isEmbeddings()) {
        String answer = active.geminiBodies().embeddings(SimJson.readObject(body.getBytes()), route.method().equals("batchEmbedContents"));
        Fault fault = active.drawFault();
        if (fault != Fault.NONE) scenario.faultInjected();
        exchange.after(delayMs, () -> deliver(exchange, active, route, null, answer, fault));
        return;
      }
      if (route.isStream() && !"sse".equals(exchange.request().getParam("alt"))) {
        throw new BadRequestException("the simulator streams only with alt=sse (without it Gemini answers one JSON array)");
      }
      GeminiRequest parsed = GeminiRequest.parse(body);
      if (route.isStream()) scenario.streamRequested();
      Fault fault = active.drawFault();
      if (fault != Fault.NONE) scenario.faultInjected();
      exchange.after(delayMs, () -> deliver(exchange, active, route, parsed, null, fault));
    } catch (BadRequestException e) {
      exchange.sendJson(400, GeminiErrorBodies.invalidArgument(e.getMessage()));
    }
  }

  /** @param embeddings the embeddings answer, or null for a generation */
  private void deliver(Exchange exchange, ActiveProfile active, GeminiRoute route, GeminiRequest request, String embeddings,
      Fault fault) {
    SimProfile profile = active.profile();
    switch (fault) {
      case NONE, CUT_STREAM -> succeed(exchange, active, route, request, embeddings, fault);
      case STREAM_ERROR -> {
        if (route.isStream()) {
          succeed(exchange, active, route, request, embeddings, fault);
        } else {
          exchange.sendJson(503, GeminiErrorBodies.OVERLOADED);
        }
      }
      case ERROR -> exchange.sendJson(profile.errorStatus(), GeminiErrorBodies.simulated(profile.errorStatus()));
      case ECHO_CREDENTIAL -> exchange.sendJson(profile.errorStatus(), GeminiErrorBodies.body(profile.errorStatus(),
          "API key not valid: " + exchange.header(GeminiRoute.API_KEY_HEADER), GeminiErrorBodies.status(profile.errorStatus()), null));
      case RATE_LIMIT -> exchange.sendJson(429, GeminiErrorBodies.rateLimited(profile));
      case RESET -> exchange.resetConnection();
      case HANG -> { } // never answer: the exchange counts the client giving up
    }
  }

  private void succeed(Exchange exchange, ActiveProfile active, GeminiRoute route, GeminiRequest request, String embeddings,
      Fault fault) {
    SimProfile profile = active.profile();
    if (embeddings != null) {
      ApiHandler.sendBody(exchange, embeddings, fault == Fault.CUT_STREAM);
      return;
    }
    String id = "gemini_sim_" + responseIds.incrementAndGet();
    Generation generation = request.generate(profile);
    GeminiBodies bodies = active.geminiBodies();
    if (!route.isStream()) {
      ApiHandler.sendBody(exchange, bodies.response(id, route.model(), request, generation), fault == Fault.CUT_STREAM);
      return;
    }
    List<String> events = bodies.stream(id, route.model(), request, generation);
    String trailer = "";
    if (fault != Fault.NONE) {
      events = events.subList(0, Math.min(profile.cutAfterChunks(), events.size()));
      // Gemini's stream has no end marker, so the telling cut is a body that ends cleanly before the
      // chunk with the finish reason (a gateway that takes the end of the body as the end is fooled).
      trailer = fault == Fault.STREAM_ERROR ? GeminiBodies.STREAM_ERROR : "";
    }
    exchange.stream(events, trailer, profile.ttftMs(), profile.chunkIntervalMs());
  }
}
