package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves Ollama's native API: {@code POST .../api/chat} (a whole answer with {@code "stream": false},
 * else NDJSON chunks ending in a {@code done} chunk with {@code done_reason}, {@code prompt_eval_count}
 * and {@code eval_count}; tool calls whole in one chunk), {@code POST .../api/embed} and
 * {@code GET .../api/tags}; errors are {@code {"error": "..."}}, as Ollama sends them. The profile's
 * latency, chunks and faults apply as to every format. Paths: {@code /<scenario>/api/...} or
 * {@code /<scenario>[/v1]/ollama/api/...} (so {@code ${SIM:<scenario>}/ollama} is a base URL).
 */
final class OllamaHandler {
  private final Vertx vertx;

  record Route(String scenario, Endpoint endpoint) {}

  OllamaHandler(Vertx vertx) {
    this.vertx = vertx;
  }

  static Route route(String path) {
    String[] p = path.split("/", -1);
    if (p.length < 4 || p[1].isEmpty()) return null;
    int i = 2;
    if (p[i].equals("v1") && p.length > i + 1 && p[i + 1].equals("ollama")) i += 2;
    else if (p[i].equals("ollama")) i += 1;
    if (p.length != i + 2 || !p[i].equals("api")) return null;
    return switch (p[i + 1]) {
      case "chat" -> new Route(p[1], Endpoint.CHAT_COMPLETIONS);
      case "embed" -> new Route(p[1], Endpoint.EMBEDDINGS);
      case "tags" -> new Route(p[1], Endpoint.MODELS);
      default -> null;
    };
  }

  void handle(HttpServerRequest request, Route route, Scenario scenario) {
    if (!request.method().equals(route.endpoint().method())) {
      request.response().setStatusCode(405).end();
      return;
    }
    ActiveProfile active = scenario.active();
    scenario.requestArrived(route.endpoint(), request.getHeader("authorization"));
    Exchange exchange = new Exchange(vertx, request, scenario);
    request.body().onSuccess(body -> answer(exchange, active, route.endpoint(), body));
  }

  private void answer(Exchange exchange, ActiveProfile active, Endpoint endpoint, Buffer body) {
    Scenario scenario = exchange.scenario();
    SimProfile profile = active.profile();
    if (endpoint == Endpoint.MODELS) {
      exchange.after(active.headerDelayMs(), () -> exchange.sendJson(200,
          "{\"models\":[{\"name\":\"llama3.2:latest\",\"model\":\"llama3.2:latest\",\"size\":2019393189}]}"));
      return;
    }
    scenario.bodyReceived(body);
    scenario.requestRecorded(LastRequest.of(exchange, endpoint, body, null));
    JsonNode root;
    try {
      root = SimJson.readObject(body.getBytes());
      if (!root.path("model").isTextual() || root.path("model").asText().isEmpty()) {
        throw new BadRequestException("model is required");
      }
      if (endpoint == Endpoint.CHAT_COMPLETIONS && !root.path("messages").isArray()) {
        throw new BadRequestException("messages is required");
      }
    } catch (BadRequestException e) {
      exchange.sendJson(400, error(e.getMessage()));
      return;
    }
    boolean stream = endpoint == Endpoint.CHAT_COMPLETIONS && root.path("stream").asBoolean(true); // Ollama streams by default
    if (stream) scenario.streamRequested();
    Fault fault = active.drawFault();
    if (fault != Fault.NONE) scenario.faultInjected();
    exchange.after(active.headerDelayMs(), () -> {
      switch (fault) {
        case NONE, CUT_STREAM -> succeed(exchange, profile, endpoint, root, stream, fault);
        case STREAM_ERROR -> {
          if (stream) succeed(exchange, profile, endpoint, root, true, fault);
          else exchange.sendJson(500, error("simulated upstream error"));
        }
        case ERROR -> exchange.sendJson(profile.errorStatus(), error(profile.errorStatus() == 404
            ? "model '" + root.path("model").asText() + "' not found" : "simulated upstream error"));
        case ECHO_CREDENTIAL -> exchange.sendJson(profile.errorStatus(), error("unauthorized: "
            + exchange.header("authorization")));
        case RATE_LIMIT -> {
          ApiHandler.retryAfterHeaders(exchange.response(), profile);
          exchange.sendJson(429, error("too many requests"));
        }
        case RESET -> exchange.resetConnection();
        case HANG -> { }
      }
    });
  }

  private void succeed(Exchange exchange, SimProfile profile, Endpoint endpoint, JsonNode root, boolean stream, Fault fault) {
    String model = root.path("model").asText();
    if (endpoint == Endpoint.EMBEDDINGS) {
      ObjectNode out = SimJson.MAPPER.createObjectNode().put("model", model);
      ArrayNode vectors = out.putArray("embeddings");
      JsonNode input = root.path("input");
      List<String> inputs = new ArrayList<>();
      if (input.isArray()) input.forEach(x -> inputs.add(x.asText())); else inputs.add(input.asText());
      for (String text : inputs) {
        ArrayNode v = vectors.addArray();
        int h = text.hashCode();
        for (int k = 0; k < 4; k++) v.add(((h >>> (k * 8)) & 0xff) / 255.0);
      }
      if (!profile.omitUsage()) out.put("prompt_eval_count", profile.promptTokens());
      ApiHandler.sendBody(exchange, SimJson.write(out), fault == Fault.CUT_STREAM);
      return;
    }
    Generation g = generate(profile, root);
    if (!stream) {
      ObjectNode out = chunk(model, g.toolCall() == null ? g.text() : "", g.toolCall());
      done(out, profile, g);
      ApiHandler.sendBody(exchange, SimJson.write(out), fault == Fault.CUT_STREAM);
      return;
    }
    List<Buffer> lines = new ArrayList<>();
    if (g.toolCall() != null) {
      lines.add(line(chunk(model, "", g.toolCall()).put("done", false)));
    } else {
      for (String part : BedrockBodies.split(g.text(), profile.chunks())) lines.add(line(chunk(model, part, null).put("done", false)));
    }
    Buffer trailer;
    if (fault == Fault.NONE) {
      ObjectNode last = chunk(model, "", null);
      done(last, profile, g);
      trailer = line(last);
    } else {
      lines = lines.subList(0, Math.min(profile.cutAfterChunks(), lines.size()));
      trailer = fault == Fault.STREAM_ERROR ? Buffer.buffer(error("simulated stream error") + "\n") : null;
    }
    exchange.streamBinary("application/x-ndjson", lines, trailer, profile.ttftMs(), profile.chunkIntervalMs());
  }

  private static Generation generate(SimProfile profile, JsonNode root) {
    JsonNode tools = root.path("tools");
    JsonNode messages = root.path("messages");
    JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
    if (tools.isArray() && !tools.isEmpty() && (last == null || !"tool".equals(last.path("role").asText()))) {
      JsonNode f = tools.get(0).path("function");
      return Generation.toolCall(profile, Generation.ToolCall.of(f.path("name").asText(), f.path("parameters")));
    }
    List<String> stops = new ArrayList<>();
    root.path("options").path("stop").forEach(s -> stops.add(s.asText()));
    JsonNode max = root.path("options").path("num_predict");
    return Generation.text(profile, stops, max.isInt() ? max.asInt() : null);
  }

  private static ObjectNode chunk(String model, String content, Generation.ToolCall call) {
    ObjectNode out = SimJson.MAPPER.createObjectNode().put("model", model).put("created_at", "2026-12-01T00:00:00.000000Z");
    ObjectNode message = out.putObject("message").put("role", "assistant").put("content", content);
    if (call != null) {
      ObjectNode f = message.putArray("tool_calls").addObject().putObject("function").put("name", call.name());
      f.set("arguments", SimJson.readObject(call.argumentsJson().getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static void done(ObjectNode out, SimProfile profile, Generation g) {
    out.put("done_reason", g.finish() == Generation.Finish.MAX_TOKENS ? "length" : "stop").put("done", true)
        .put("total_duration", 1_000_000).put("load_duration", 100_000);
    if (!profile.omitUsage()) {
      out.put("prompt_eval_count", profile.promptTokens()).put("prompt_eval_duration", 200_000)
          .put("eval_count", g.completionTokens()).put("eval_duration", 700_000);
    }
  }

  private static Buffer line(ObjectNode json) {
    return Buffer.buffer(SimJson.write(json) + "\n");
  }

  static String error(String message) {
    return "{\"error\":" + SimJson.quote(message) + "}";
  }
}
