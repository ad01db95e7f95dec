package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves OpenAI's Responses API ({@code POST /v1/responses}), plain and SSE, for a gateway provider with
 * {@code responsesApi: true}: bearer authentication, OpenAI's validation and error bodies, Responses usage
 * (cached and reasoning tokens when the profile sets them) and the same latency, chunk and fault controls as
 * chat completions. A stream error is the Responses {@code error} event.
 */
final class ResponsesHandler {
  private final AtomicLong responseIds = new AtomicLong();
  private final AtomicLong callIds = new AtomicLong();

  void handle(Exchange exchange, ActiveProfile active, Buffer body) {
    Scenario scenario = exchange.scenario();
    scenario.bodyReceived(body);
    String requiredKey = active.profile().requireApiKey();
    boolean keyMatched = requiredKey == null || ("Bearer " + requiredKey).equals(exchange.header(HttpHeaders.AUTHORIZATION));
    scenario.requestRecorded(LastRequest.of(exchange, Endpoint.RESPONSES, body, requiredKey == null ? null : keyMatched));
    if (!keyMatched) {
      exchange.sendJson(401, OpenAiErrors.INVALID_API_KEY);
      return;
    }
    Request request;
    try {
      request = Request.parse(body);
    } catch (BadRequestException e) {
      exchange.sendJson(400, OpenAiErrors.invalidRequest(e.getMessage()));
      return;
    }
    if (request.stream()) scenario.streamRequested();
    Fault fault = active.drawFault();
    if (fault != Fault.NONE) scenario.faultInjected();
    exchange.after(active.headerDelayMs(), () -> deliver(exchange, active.profile(), request, fault));
  }

  private void deliver(Exchange exchange, SimProfile profile, Request request, Fault fault) {
    switch (fault) {
      case NONE, CUT_STREAM -> answer(exchange, profile, request, fault);
      case STREAM_ERROR -> {
        if (request.stream()) {
          answer(exchange, profile, request, fault);
        } else {
          exchange.sendJson(500, OpenAiErrors.simulated(500));
        }
      }
      case ERROR -> exchange.sendJson(profile.errorStatus(), OpenAiErrors.simulated(profile.errorStatus()));
      case ECHO_CREDENTIAL -> exchange.sendJson(profile.errorStatus(), OpenAiErrors.body(
          "Incorrect API key provided: " + ApiHandler.credential(exchange.header(HttpHeaders.AUTHORIZATION)),
          "invalid_request_error", "invalid_api_key"));
      case RATE_LIMIT -> {
        ApiHandler.retryAfterHeaders(exchange.response(), profile);
        exchange.sendJson(429, OpenAiErrors.RATE_LIMITED);
      }
      case RESET -> exchange.resetConnection();
      case HANG -> { } // never answer
    }
  }

  private void answer(Exchange exchange, SimProfile profile, Request request, Fault fault) {
    String id = "resp_sim_" + responseIds.incrementAndGet();
    Generation generation = request.toolCall() != null ? Generation.toolCall(profile, request.toolCall())
        : request.maxTokens() == null ? Generation.standard(profile) : Generation.text(profile, List.of(), request.maxTokens());
    String callId = generation.toolCall() == null ? null : "call_sim_" + callIds.incrementAndGet();
    ResponsesBodies bodies = new ResponsesBodies(profile, generation, id, request.model(), callId,
        System.currentTimeMillis() / 1000);
    if (!request.stream()) {
      ApiHandler.sendBody(exchange, bodies.response(), fault == Fault.CUT_STREAM);
      return;
    }
    List<String> steps = bodies.steps();
    String trailer = bodies.trailer();
    if (fault != Fault.NONE) {
      steps = steps.subList(0, Math.min(profile.cutAfterChunks(), steps.size()));
      trailer = fault == Fault.STREAM_ERROR ? bodies.error(steps.size()) : null;
    }
    exchange.stream(bodies.preamble(), steps, trailer, profile.ttftMs(), profile.chunkIntervalMs());
  }

  /** What the simulator needs from a Responses request. */
  record Request(String model, boolean stream, Integer maxTokens, Generation.ToolCall toolCall) {
    static Request parse(Buffer body) {
      JsonNode root = SimJson.readObject(body.getBytes());
      JsonNode model = root.path("model");
      if (!model.isTextual() || model.asText().isEmpty()) throw new BadRequestException("Missing required parameter: 'model'.");
      JsonNode input = root.path("input");
      if (!input.isTextual() && !input.isArray()) throw new BadRequestException("Missing required parameter: 'input'.");
      JsonNode limit = root.path("max_output_tokens");
      if (limit.isIntegralNumber() && limit.asInt() < 16) {
        throw new BadRequestException("Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16.");
      }
      return new Request(model.asText(), root.path("stream").asBoolean(false), limit.isIntegralNumber() ? limit.asInt() : null,
          toolCall(root, input));
    }

    /** The first function tool (or the one tool_choice names), unless the last input item answers a call. */
    private static Generation.ToolCall toolCall(JsonNode root, JsonNode input) {
      JsonNode tools = root.path("tools");
      JsonNode choice = root.path("tool_choice");
      if (!tools.isArray() || tools.isEmpty() || "none".equals(choice.asText())) return null;
      if (input.isArray() && !input.isEmpty()
          && "function_call_output".equals(input.get(input.size() - 1).path("type").asText())) {
        return null;
      }
      String wanted = choice.path("name").asText(null);
      JsonNode chosen = tools.get(0);
      for (JsonNode tool : tools) {
        if (wanted != null && wanted.equals(tool.path("name").asText())) chosen = tool;
      }
      if (!chosen.path("name").isTextual()) throw new BadRequestException("Missing required parameter: 'tools[0].name'.");
      return Generation.ToolCall.of(chosen.path("name").asText(), chosen.path("parameters"));
    }
  }
}
