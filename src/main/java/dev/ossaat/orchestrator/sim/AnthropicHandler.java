package dev.ossaat.orchestrator.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves Anthropic's Messages API: {@code /messages} (plain and SSE), {@code /messages/count_tokens} and the
 * model list in Anthropic's shape. Authentication by {@code x-api-key}, a required {@code anthropic-version}
 * header, Anthropic's validation and error bodies, and the same profile controls (latency, chunks, faults)
 * as the OpenAI endpoints. Every response carries a {@code request-id} header.
 */
final class AnthropicHandler {
  static final String VERSION_HEADER = "anthropic-version";
  static final String API_KEY_HEADER = "x-api-key";

  private final AtomicLong requestIds = new AtomicLong();
  private final AtomicLong messageIds = new AtomicLong();
  private final AtomicLong toolUseIds = new AtomicLong();

  /** The messages endpoints always; the model list when the request carries an anthropic-version header. */
  static boolean isAnthropic(HttpServerRequest request, Endpoint endpoint) {
    return endpoint.isAnthropic() || (endpoint == Endpoint.MODELS && request.getHeader(VERSION_HEADER) != null);
  }

  void handle(Exchange exchange, ActiveProfile active, Endpoint endpoint) {
    exchange.response().putHeader("request-id", "req_sim_" + requestIds.incrementAndGet());
    // A failed body means the client went away while uploading; the exchange has counted that already.
    exchange.request().body().onSuccess(body -> answer(exchange, active, endpoint, body));
  }

  private void answer(Exchange exchange, ActiveProfile active, Endpoint endpoint, Buffer body) {
    Scenario scenario = exchange.scenario();
    if (endpoint.isInference()) {
      scenario.bodyReceived(body);
    }
    String requiredKey = active.profile().requireApiKey();
    boolean keyMatched = requiredKey == null || requiredKey.equals(exchange.header(API_KEY_HEADER));
    if (endpoint.hasBody()) {
      scenario.requestRecorded(LastRequest.of(exchange, endpoint, body, requiredKey == null ? null : keyMatched));
    }
    if (!keyMatched) {
      exchange.sendJson(401, AnthropicErrors.INVALID_API_KEY);
      return;
    }
    if (exchange.header(VERSION_HEADER) == null) {
      exchange.sendJson(400, AnthropicErrors.MISSING_VERSION);
      return;
    }
    AnthropicBodies bodies = active.anthropicBodies();
    long delayMs = active.headerDelayMs();
    try {
      switch (endpoint) {
        case MODELS -> exchange.after(delayMs, () -> exchange.sendJson(200, AnthropicBodies.MODELS));
        case COUNT_TOKENS -> {
          AnthropicRequest.validateCountTokens(body);
          exchange.after(delayMs, () -> exchange.sendJson(200, bodies.countTokens()));
        }
        case MESSAGES -> {
          AnthropicRequest request = AnthropicRequest.parseMessages(body);
          if (request.stream()) {
            scenario.streamRequested();
          }
          Fault fault = active.drawFault();
          if (fault != Fault.NONE) {
            scenario.faultInjected();
          }
          exchange.after(delayMs, () -> deliver(exchange, active, request, fault));
        }
        default -> throw new IllegalStateException(endpoint + " is not an Anthropic endpoint");
      }
    } catch (BadRequestException e) {
      exchange.sendJson(400, AnthropicErrors.invalidRequest(e.getMessage()));
    }
  }

  private void deliver(Exchange exchange, ActiveProfile active, AnthropicRequest request, Fault fault) {
    SimProfile profile = active.profile();
    switch (fault) {
      case NONE, CUT_STREAM -> message(exchange, active, request, fault);
      case STREAM_ERROR -> {
        if (request.stream()) {
          message(exchange, active, request, fault);
        } else {
          exchange.sendJson(529, AnthropicErrors.OVERLOADED);
        }
      }
      case ERROR -> exchange.sendJson(profile.errorStatus(), AnthropicErrors.simulated(profile.errorStatus()));
      case ECHO_CREDENTIAL -> exchange.sendJson(profile.errorStatus(), AnthropicErrors.body(
          AnthropicErrors.type(profile.errorStatus()), "invalid x-api-key: " + String.valueOf(exchange.header("x-api-key"))));
      case RATE_LIMIT -> {
        ApiHandler.retryAfterHeaders(exchange.response(), profile);
        exchange.sendJson(429, AnthropicErrors.RATE_LIMITED);
      }
      case RESET -> exchange.resetConnection();
      case HANG -> { } // never answer: the exchange counts the client giving up
    }
  }

  private void message(Exchange exchange, ActiveProfile active, AnthropicRequest request, Fault fault) {
    SimProfile profile = active.profile();
    AnthropicBodies bodies = active.anthropicBodies();
    String id = "msg_sim_" + messageIds.incrementAndGet();
    Generation generation = request.generate(profile);
    String toolUseId = generation.toolCall() == null ? null : "toolu_sim_" + toolUseIds.incrementAndGet();
    if (!request.stream()) {
      ApiHandler.sendBody(exchange, bodies.message(id, request.model(), generation, toolUseId, request.thinking()),
          fault == Fault.CUT_STREAM);
      return;
    }
    AnthropicBodies.Stream stream = bodies.stream(id, request.model(), generation, toolUseId, request.thinking());
    List<String> steps = stream.steps();
    String trailer = stream.trailer();
    if (fault != Fault.NONE) {
      steps = steps.subList(0, Math.min(profile.cutAfterChunks(), steps.size()));
      trailer = fault == Fault.STREAM_ERROR ? AnthropicBodies.STREAM_ERROR : null;
    }
    exchange.stream(stream.preamble(), steps, trailer, profile.ttftMs(), profile.chunkIntervalMs());
  }
}
