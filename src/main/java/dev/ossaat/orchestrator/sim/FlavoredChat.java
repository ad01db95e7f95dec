package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chat completions as Mistral and OpenRouter answer them, where they differ from OpenAI (the same
 * profile, faults and usage otherwise; see {@link SimFlavor} for how a scenario gets a flavor).
 *
 * <p><b>Mistral.</b> Strict validation: a top-level field Mistral does not know ({@code stream_options},
 * {@code seed}, {@code max_completion_tokens}, ...) is a 422 {@code extra_forbidden} with pydantic's
 * {@code detail} list inside {@code message}; a tool call id that is not nine letters and digits is a
 * 400. Errors are {@code {"object":"error","message":..,"type":..,"param":null,"code":..}}, a bad key
 * {@code {"message":"Unauthorized","request_id":..}}. Streams carry usage in the finish chunk, always,
 * and no usage chunk; its tool call ids are nine characters.
 *
 * <p><b>OpenRouter.</b> Streams start with, and carry between chunks, {@code : OPENROUTER PROCESSING}
 * comments, and always end with a usage chunk; usage adds {@code cost} and
 * {@code prompt_tokens_details.cache_write_tokens} (the profile's cacheCreationTokens). Errors are
 * {@code {"error":{"code":<status>,"message":..,"metadata":..}}}; errorStatus 403 is a moderation flag
 * (metadata with reasons and flagged_input). {@link Fault#STREAM_ERROR} is its mid-stream error, a chunk
 * with an {@code error} object and {@code finish_reason: "error"}, and on a request that does not stream
 * a 200 whose body is only an error.
 */
final class FlavoredChat {
  static final String KEEP_ALIVE = ": OPENROUTER PROCESSING\n\n";
  private static final Set<String> MISTRAL_FIELDS = Set.of("model", "messages", "temperature", "top_p", "max_tokens",
      "stream", "stop", "random_seed", "response_format", "tools", "tool_choice", "presence_penalty",
      "frequency_penalty", "n", "prediction", "parallel_tool_calls", "safe_prompt", "prompt_mode");

  private final AtomicLong ids = new AtomicLong();

  void answer(Exchange exchange, ActiveProfile active, Buffer body, SimFlavor flavor, boolean keyMatched) {
    Scenario scenario = exchange.scenario();
    if (!keyMatched) {
      exchange.sendJson(401, flavor == SimFlavor.MISTRAL ? "{\"message\":\"Unauthorized\",\"request_id\":\"sim\"}"
          : openRouterError(401, "No auth credentials found", null));
      return;
    }
    ApiRequest parsed;
    try {
      if (flavor == SimFlavor.MISTRAL) {
        String refused = mistralRefusal(SimJson.readObject(body.getBytes()));
        if (refused != null) {
          exchange.sendJson(refused.startsWith("{\"object\":\"error\",\"message\":{") ? 422 : 400, refused);
          return;
        }
      }
      parsed = ApiRequest.parse(Endpoint.CHAT_COMPLETIONS, body);
    } catch (BadRequestException e) {
      exchange.sendJson(400, error(flavor, 400, e.getMessage()));
      return;
    }
    if (parsed.stream()) scenario.streamRequested();
    Fault fault = active.drawFault();
    if (fault != Fault.NONE) scenario.faultInjected();
    exchange.after(active.headerDelayMs(), () -> deliver(exchange, active, parsed, fault, flavor));
  }

  private void deliver(Exchange exchange, ActiveProfile active, ApiRequest request, Fault fault, SimFlavor flavor) {
    SimProfile profile = active.profile();
    switch (fault) {
      case NONE, CUT_STREAM -> chat(exchange, active, request, fault, flavor);
      case STREAM_ERROR -> {
        if (request.stream()) {
          chat(exchange, active, request, fault, flavor);
        } else if (flavor == SimFlavor.OPENROUTER) {
          exchange.sendJson(200, openRouterError(502, "Provider returned error", "{\"provider_name\":\"SimUpstream\"}"));
        } else {
          exchange.sendJson(500, error(flavor, 500, "Internal server error"));
        }
      }
      case ERROR -> exchange.sendJson(profile.errorStatus(), error(flavor, profile.errorStatus(), "simulated upstream error"));
      case ECHO_CREDENTIAL -> exchange.sendJson(profile.errorStatus(), error(flavor, profile.errorStatus(),
          "Invalid API key: " + ApiHandler.credential(exchange.header("Authorization"))));
      case RATE_LIMIT -> {
        ApiHandler.retryAfterHeaders(exchange.response(), profile);
        exchange.sendJson(429, error(flavor, 429, "Requests rate limit exceeded"));
      }
      case RESET -> exchange.resetConnection();
      case HANG -> { }
    }
  }

  private void chat(Exchange exchange, ActiveProfile active, ApiRequest request, Fault fault, SimFlavor flavor) {
    SimProfile profile = active.profile();
    long n = ids.incrementAndGet();
    String id = "chatcmpl-sim-" + n;
    long created = System.currentTimeMillis() / 1000;
    Generation generation = request.generate(profile);
    String toolCallId = generation.toolCall() == null ? null
        : flavor == SimFlavor.MISTRAL ? String.format("Sim%06d", n % 1_000_000) : "call_sim_" + n;
    ChatBodies chat = active.bodies().chat(generation, toolCallId);
    String openAiUsage = profile.omitUsage() ? null : ChatBodies.usage(profile, generation.completionTokens());
    String usage = openAiUsage == null || flavor != SimFlavor.OPENROUTER ? openAiUsage
        : openRouterUsage(profile, generation.completionTokens());
    if (!request.stream()) {
      String body = chat.completion(id, created, request.model());
      if (openAiUsage != null) body = body.replace(openAiUsage, usage);
      ApiHandler.sendBody(exchange, body, fault == Fault.CUT_STREAM);
      return;
    }
    boolean openRouter = flavor == SimFlavor.OPENROUTER;
    List<String> events = new ArrayList<>(chat.contentEvents(id, created, request.model(), false));
    String trailer;
    if (fault == Fault.NONE) {
      if (openRouter) {
        // Usage always, whether asked or not; the OpenAI rendering's null usage members dropped again.
        trailer = chat.streamTrailer(id, created, request.model(), true).replace(",\"usage\":null", "");
        if (openAiUsage != null) trailer = trailer.replace(openAiUsage, usage);
      } else {
        trailer = mistralTrailer(chat.streamTrailer(id, created, request.model(), false), usage);
      }
    } else {
      events = events.subList(0, Math.min(profile.cutAfterChunks(), events.size()));
      trailer = fault != Fault.STREAM_ERROR ? null : openRouter ? openRouterStreamError(id, created, request.model())
          : "data: {\"object\":\"error\",\"message\":\"Internal server error\",\"type\":\"internal_server_error\",\"param\":null,\"code\":null}\n\n";
    }
    if (openRouter && events.size() > 1) events.set(1, KEEP_ALIVE + events.get(1));
    exchange.stream(openRouter ? KEEP_ALIVE : null, events, trailer, profile.ttftMs(), profile.chunkIntervalMs());
  }

  /** Mistral's end of stream: the finish chunk carries the usage; no usage chunk of its own. */
  private static String mistralTrailer(String finishAndDone, String usage) {
    if (usage == null) return finishAndDone;
    int end = finishAndDone.indexOf("}\n\n");
    return finishAndDone.substring(0, end) + ",\"usage\":" + usage + finishAndDone.substring(end);
  }

  /** OpenRouter's usage: OpenAI's counts with both cache counts, the reasoning count and a cost in credits. */
  static String openRouterUsage(SimProfile p, int completion) {
    int prompt = p.promptTokens();
    double cost = (prompt * 1.0 + completion * 2.0) / 1_000_000.0;
    return "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":"
        + ((long) prompt + completion) + ",\"cost\":" + cost + ",\"is_byok\":false,\"prompt_tokens_details\":{\"cached_tokens\":"
        + p.cachedPromptTokens() + ",\"cache_write_tokens\":" + p.cacheCreationTokens() + ",\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":" + Math.min(p.reasoningTokens(), completion) + "}}";
  }

  private static String openRouterStreamError(String id, long created, String model) {
    return "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created + ",\"model\":"
        + SimJson.quote(model) + ",\"provider\":\"SimUpstream\",\"error\":{\"code\":502,\"message\":"
        + "\"Provider disconnected unexpectedly\"},\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},"
        + "\"finish_reason\":\"error\"}]}\n\n";
  }

  /** Why Mistral refuses this request body, as its error body; null when it accepts it. */
  static String mistralRefusal(JsonNode root) {
    var names = root.fieldNames();
    while (names.hasNext()) {
      String field = names.next();
      if (!MISTRAL_FIELDS.contains(field)) {
        return "{\"object\":\"error\",\"message\":{\"detail\":[{\"type\":\"extra_forbidden\",\"loc\":[\"body\","
            + SimJson.quote(field) + "],\"msg\":\"Extra inputs are not permitted\",\"input\":" + root.get(field)
            + "}]},\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}";
      }
    }
    for (JsonNode m : root.path("messages")) {
      List<String> ids = new ArrayList<>();
      if (m.has("tool_call_id")) ids.add(m.path("tool_call_id").asText());
      for (JsonNode call : m.path("tool_calls")) ids.add(call.path("id").asText());
      for (String id : ids) {
        if (!id.matches("[A-Za-z0-9]{9}")) {
          return "{\"object\":\"error\",\"message\":" + SimJson.quote("Tool call id was " + id
              + " but must be a-z, A-Z, 0-9, with a length of 9.") + ",\"type\":\"invalid_request_message_order\","
              + "\"param\":null,\"code\":\"3280\"}";
        }
      }
    }
    return null;
  }

  static String error(SimFlavor flavor, int status, String message) {
    if (flavor == SimFlavor.OPENROUTER) {
      if (status == 402) return openRouterError(402, "Insufficient credits. Add more using https://openrouter.ai/credits", null);
      if (status == 403) {
        return openRouterError(403, "Your chosen model requires moderation and your input was flagged",
            "{\"reasons\":[\"violence\"],\"flagged_input\":\"[sim]\",\"provider_name\":\"SimUpstream\",\"model_slug\":\"sim/model\"}");
      }
      return openRouterError(status, message, status >= 500 ? "{\"provider_name\":\"SimUpstream\"}" : null);
    }
    String type = status == 429 ? "rate_limited" : status >= 500 ? "internal_server_error" : "invalid_request_error";
    return "{\"object\":\"error\",\"message\":" + SimJson.quote(message) + ",\"type\":\"" + type + "\",\"param\":null,\"code\":"
        + (status == 429 ? "\"1300\"" : "null") + "}";
  }

  static String openRouterError(int code, String message, String metadataJson) {
    return "{\"error\":{\"code\":" + code + ",\"message\":" + SimJson.quote(message)
        + (metadataJson == null ? "" : ",\"metadata\":" + metadataJson) + "}}";
  }
}
