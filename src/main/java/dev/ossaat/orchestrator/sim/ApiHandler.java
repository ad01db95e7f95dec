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
 * then the answer; hands Anthropic requests (the messages endpoints, and the model list when asked with an
 * {@code anthropic-version} header) to {@link AnthropicHandler}. The scenario's profile is taken once, at
 * arrival, so a concurrent reconfiguration affects only later requests.
 */
final class ApiHandler {
  private static final String BEARER = "Bearer ";

  private final Vertx vertx;
  private final AnthropicHandler anthropic;
  private final ResponsesHandler responses = new ResponsesHandler();
  private final AtomicLong completionIds = new AtomicLong();
  private final AtomicLong toolCallIds = new AtomicLong();
  private final FlavoredChat flavored = new FlavoredChat();

  ApiHandler(Vertx vertx) {
    this.vertx = vertx;
    this.anthropic = new AnthropicHandler();
  }

  void handle(HttpServerRequest request, Endpoint endpoint, Scenario scenario) {
    ActiveProfile active = scenario.active();
    scenario.requestArrived(endpoint, request.getHeader(HttpHeaders.AUTHORIZATION));
    Exchange exchange = new Exchange(vertx, request, scenario);
    if (AnthropicHandler.isAnthropic(request, endpoint)) {
      anthropic.handle(exchange, active, endpoint);
      return;
    }
    // A failed body means the client went away while uploading; the exchange has counted that already.
    if (endpoint == Endpoint.RESPONSES) {
      request.body().onSuccess(body -> responses.handle(exchange, active, body));
      return;
    }
    request.body().onSuccess(body -> answer(exchange, active, endpoint, body));
  }

  private void answer(Exchange exchange, ActiveProfile active, Endpoint endpoint, Buffer body) {
    Scenario scenario = exchange.scenario();
    if (endpoint.isInference()) {
      scenario.bodyReceived(body);
    }
    String requiredKey = active.profile().requireApiKey();
    boolean azure = AzureRoute.isAzure(exchange.request());
    boolean keyMatched = requiredKey == null
        || (azure ? AzureRoute.keyMatches(exchange.request(), requiredKey)
            : (BEARER + requiredKey).equals(exchange.header(HttpHeaders.AUTHORIZATION)));
    if (endpoint.hasBody()) {
      scenario.requestRecorded(LastRequest.of(exchange, endpoint, body, requiredKey == null ? null : keyMatched));
    }
    if (!azure && endpoint == Endpoint.CHAT_COMPLETIONS) {
      SimFlavor flavor = SimFlavor.ofPath(exchange.request().path());
      if (flavor != SimFlavor.OPENAI) {
        flavored.answer(exchange, active, body, flavor, keyMatched); // Mistral's and OpenRouter's own ways
        return;
      }
    }
    if (!keyMatched) {
      exchange.sendJson(401, azure ? AzureRoute.ACCESS_DENIED : OpenAiErrors.INVALID_API_KEY);
      return;
    }
    if (azure && endpoint == Endpoint.CHAT_COMPLETIONS && AzureRoute.contentFiltered(body)) {
      exchange.sendJson(400, AzureRoute.CONTENT_FILTERED);
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
    if (azure && endpoint == Endpoint.CHAT_COMPLETIONS
        && body.toString(java.nio.charset.StandardCharsets.UTF_8).contains(AzureFilteredAnswer.PROMPT)) {
      String id = "chatcmpl-sim-" + completionIds.incrementAndGet();
      exchange.after(active.headerDelayMs(), () -> AzureFilteredAnswer.send(exchange, active.profile(), parsed, id));
      return;
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
      case NONE, CUT_STREAM -> succeed(exchange, active, endpoint, request, fault);
      case STREAM_ERROR -> {
        if (request.stream()) {
          succeed(exchange, active, endpoint, request, fault);
        } else {
          exchange.sendJson(500, OpenAiErrors.simulated(500));
        }
      }
      case ERROR -> exchange.sendJson(profile.errorStatus(), OpenAiErrors.simulated(profile.errorStatus()));
      case ECHO_CREDENTIAL -> exchange.sendJson(profile.errorStatus(), OpenAiErrors.body(
          "Incorrect API key provided: " + credential(exchange.header(HttpHeaders.AUTHORIZATION)), "invalid_request_error",
          "invalid_api_key"));
      case RATE_LIMIT -> {
        retryAfterHeaders(exchange.response(), profile);
        exchange.sendJson(429, OpenAiErrors.RATE_LIMITED);
      }
      case RESET -> exchange.resetConnection();
      case HANG -> { } // never answer: the exchange counts the client giving up
    }
  }

  private void succeed(Exchange exchange, ActiveProfile active, Endpoint endpoint, ApiRequest request,
      Fault fault) {
    ResponseBodies bodies = active.bodies();
    boolean cut = fault == Fault.CUT_STREAM;
    switch (endpoint) {
      case CHAT_COMPLETIONS -> chat(exchange, active.profile(), bodies, request, fault);
      case EMBEDDINGS -> sendBody(exchange, bodies.embeddings(request.model(), request.inputs(),
          request.base64Embeddings() && !active.profile().ignoreEncodingFormat()), cut);
      case MODELS -> sendBody(exchange, ResponseBodies.MODELS, cut);
      default -> throw new IllegalStateException(endpoint + " is not an OpenAI endpoint");
    }
  }

  private void chat(Exchange exchange, SimProfile profile, ResponseBodies bodies, ApiRequest request,
      Fault fault) {
    String id = "chatcmpl-sim-" + completionIds.incrementAndGet();
    long created = System.currentTimeMillis() / 1000;
    Generation generation = request.generate(profile);
    String toolCallId = generation.toolCall() == null ? null : "call_sim_" + toolCallIds.incrementAndGet();
    ChatBodies chat = bodies.chat(generation, toolCallId);
    if (!request.stream()) {
      sendBody(exchange, chat.completion(id, created, request.model()), fault == Fault.CUT_STREAM);
      return;
    }
    List<String> events = chat.contentEvents(id, created, request.model(), request.includeUsage());
    String trailer;
    if (fault == Fault.NONE) {
      trailer = chat.streamTrailer(id, created, request.model(), request.includeUsage());
    } else {
      events = events.subList(0, Math.min(profile.cutAfterChunks(), events.size()));
      trailer = fault == Fault.STREAM_ERROR ? ChatBodies.STREAM_ERROR : null;
    }
    exchange.stream(events, trailer, profile.ttftMs(), profile.chunkIntervalMs());
  }

  static void sendBody(Exchange exchange, String body, boolean cut) {
    if (cut) {
      exchange.sendTruncatedJson(body);
    } else {
      exchange.sendJson(200, body);
    }
  }

  /** The optional {@code Retry-After} and {@code retry-after-ms} headers of {@link Fault#RATE_LIMIT}. */
  static void retryAfterHeaders(HttpServerResponse response, SimProfile profile) {
    if (profile.retryAfterSeconds() != null) {
      response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(profile.retryAfterSeconds()));
    }
    if (profile.retryAfterMs() != null) {
      response.putHeader("retry-after-ms", String.valueOf(profile.retryAfterMs()));
    }
  }

  /** The credential of an Authorization header, without its scheme. */
  static String credential(String authorization) {
    if (authorization == null) return "";
    return authorization.startsWith(BEARER) ? authorization.substring(BEARER.length()) : authorization;
  }
}
