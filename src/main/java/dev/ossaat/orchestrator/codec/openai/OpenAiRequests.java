package dev.ossaat.orchestrator.codec.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.EgressOptions;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.ChatRequest;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.GenerationParams;
import dev.ossaat.orchestrator.exchange.Message;
import dev.ossaat.orchestrator.exchange.Role;
import dev.ossaat.orchestrator.exchange.ToolChoice;
import dev.ossaat.orchestrator.exchange.ToolDefinition;
import dev.ossaat.orchestrator.exchange.WireFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI Chat Completions requests to and from the neutral model. OpenAI's {@code role: tool}
 * messages become tool-result blocks of a user turn (consecutive ones in one turn, as Anthropic
 * requires), and go back out as one {@code role: tool} message each.
 */
final class OpenAiRequests {
  private OpenAiRequests() {}

  static ChatRequest decode(ObjectNode body) {
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new CodecException("'messages' must be a non-empty array", "messages");
    }
    List<ContentBlock> system = new ArrayList<>();
    List<Message> turns = new ArrayList<>();
    List<ContentBlock> pendingResults = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String param = "messages[" + i + "]";
      if (!m.isObject() || !m.path("role").isTextual()) {
        throw new CodecException(param + " must be an object with a 'role'", "messages");
      }
      String role = m.get("role").textValue();
      if (!role.equals("tool") && !pendingResults.isEmpty()) {
        turns.add(new Message(Role.USER, pendingResults));
        pendingResults = new ArrayList<>();
      }
      switch (role) {
        case "system", "developer" -> system.addAll(content(m.get("content"), param));
        case "user" -> turns.add(new Message(Role.USER, content(m.get("content"), param)));
        case "assistant" -> turns.add(new Message(Role.ASSISTANT, assistant(m, param)));
        case "tool" -> pendingResults.add(new ContentBlock.ToolResult(
            requiredText(m, "tool_call_id", param + ".tool_call_id"), content(m.get("content"), param), false, null));
        default -> throw new CodecException(param + ".role '" + role + "' is not supported", "messages");
      }
    }
    if (!pendingResults.isEmpty()) turns.add(new Message(Role.USER, pendingResults));
    return new ChatRequest(
        requiredText(body, "model", "model"), system, turns, tools(body.get("tools")), toolChoice(body),
        params(body), Boolean.TRUE.equals(Json.bool(body, "stream", "stream")));
  }

  private static List<ContentBlock> assistant(JsonNode m, String param) {
    List<ContentBlock> out = new ArrayList<>();
    String reasoning = Json.text(m, "reasoning_content", param + ".reasoning_content");
    if (reasoning != null && !reasoning.isEmpty()) out.add(new ContentBlock.Reasoning(reasoning, null));
    out.addAll(content(m.get("content"), param));
    JsonNode calls = m.get("tool_calls");
    if (calls != null && calls.isArray()) {
      for (int i = 0; i < calls.size(); i++) {
        JsonNode call = calls.get(i);
        String p = param + ".tool_calls[" + i + "]";
        JsonNode fn = call.path("function");
        String args = fn.path("arguments").isTextual() ? fn.get("arguments").textValue() : "{}";
        out.add(new ContentBlock.ToolCall(requiredText(call, "id", p + ".id"), requiredText(fn, "name", p + ".function.name"),
            args.isBlank() ? "{}" : args, null));
      }
    }
    return out;
  }

  /** A message's content: a string, null, or a list of typed parts. */
  private static List<ContentBlock> content(JsonNode content, String param) {
    List<ContentBlock> out = new ArrayList<>();
    if (content == null || content.isNull()) return out;
    if (content.isTextual()) {
      out.add(new ContentBlock.Text(content.textValue()));
      return out;
    }
    if (!content.isArray()) throw new CodecException(param + ".content must be a string or a list of parts", "messages");
    for (JsonNode part : content) {
      String type = part.path("type").asText("");
      switch (type) {
        case "text" -> out.add(new ContentBlock.Text(part.path("text").asText("")));
        case "image_url" -> out.add(image(part.path("image_url")));
        default -> out.add(new ContentBlock.Opaque(WireFormat.OPENAI, part));
      }
    }
    return out;
  }

  private static ContentBlock image(JsonNode imageUrl) {
    String url = imageUrl.isTextual() ? imageUrl.textValue() : imageUrl.path("url").asText("");
    String detail = imageUrl.path("detail").isTextual() ? imageUrl.get("detail").textValue() : null;
    if (url.startsWith("data:")) {
      int semi = url.indexOf(';');
      int comma = url.indexOf(',');
      if (semi > 5 && comma > semi && url.substring(semi, comma).contains("base64")) {
        return new ContentBlock.Image(url.substring(5, semi), url.substring(comma + 1), null, detail, null);
      }
    }
    return new ContentBlock.Image(null, null, url, detail, null);
  }

  private static List<ToolDefinition> tools(JsonNode tools) {
    List<ToolDefinition> out = new ArrayList<>();
    if (tools == null || tools.isNull()) return out;
    if (!tools.isArray()) throw new CodecException("'tools' must be a list", "tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode fn = tools.get(i).path("function");
      String description = fn.path("description").isTextual() ? fn.get("description").textValue() : null;
      JsonNode parameters = fn.has("parameters") ? fn.get("parameters") : Json.object().put("type", "object");
      out.add(new ToolDefinition(requiredText(fn, "name", "tools[" + i + "].function.name"), description, parameters, null));
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode body) {
    JsonNode choice = body.get("tool_choice");
    Boolean parallel = Json.bool(body, "parallel_tool_calls", "parallel_tool_calls");
    if (choice == null || choice.isNull()) return parallel == null ? null : new ToolChoice(ToolChoice.Mode.AUTO, null, parallel);
    if (choice.isTextual()) {
      ToolChoice.Mode mode = switch (choice.textValue()) {
        case "none" -> ToolChoice.Mode.NONE;
        case "required" -> ToolChoice.Mode.ANY;
        case "auto" -> ToolChoice.Mode.AUTO;
        default -> throw new CodecException("'tool_choice' must be none, auto, required or a function", "tool_choice");
      };
      return new ToolChoice(mode, null, parallel);
    }
    return new ToolChoice(ToolChoice.Mode.TOOL, requiredText(choice.path("function"), "name", "tool_choice.function.name"), parallel);
  }

  private static GenerationParams params(JsonNode body) {
    Integer max = Json.integer(body, "max_completion_tokens", "max_completion_tokens");
    if (max == null) max = Json.integer(body, "max_tokens", "max_tokens");
    return new GenerationParams(max, Json.number(body, "temperature", "temperature"), Json.number(body, "top_p", "top_p"),
        null, Json.strings(body, "stop", "stop"), Json.longValue(body, "seed", "seed"), null,
        Json.text(body, "reasoning_effort", "reasoning_effort"), Json.optional(body, "response_format"),
        Json.text(body, "user", "user"));
  }

  private static String requiredText(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
      throw new CodecException("'" + param + "' is required and must be a string", param.contains(".") ? param.substring(0, param.indexOf('.')) : param);
    }
    return v.textValue();
  }

  // ----------------------------------------------------------------- egress

  static ObjectNode encode(ChatRequest r, EgressOptions options) {
    ObjectNode body = Json.object();
    body.put("model", options.model());
    ArrayNode messages = body.putArray("messages");
    String system = joinedText(r.system());
    if (!system.isEmpty()) messages.addObject().put("role", "system").put("content", system);
    for (Message m : r.messages()) {
      if (m.role() == Role.USER) {
        user(m, messages);
      } else {
        assistant(m, messages);
      }
    }
    if (!r.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition t : r.tools()) {
        ObjectNode fn = tools.addObject().put("type", "function").putObject("function").put("name", t.name());
        Json.putIfNotNull(fn, "description", t.description());
        fn.set("parameters", t.parameters());
      }
    }
    ToolChoice choice = r.toolChoice();
    if (choice != null) {
      switch (choice.mode()) {
        case AUTO -> body.put("tool_choice", "auto");
        case NONE -> body.put("tool_choice", "none");
        case ANY -> body.put("tool_choice", "required");
        case TOOL -> body.putObject("tool_choice").put("type", "function").putObject("function").put("name", choice.tool());
      }
      if (choice.parallel() != null && !r.tools().isEmpty()) body.put("parallel_tool_calls", choice.parallel());
    }
    GenerationParams p = r.params();
    Json.putIfNotNull(body, "max_tokens", p.maxTokens());
    Json.putIfNotNull(body, "temperature", p.temperature());
    Json.putIfNotNull(body, "top_p", p.topP());
    Json.putIfNotNull(body, "seed", p.seed());
    Json.putIfNotNull(body, "reasoning_effort", p.reasoningEffort());
    Json.putIfNotNull(body, "response_format", p.responseFormat());
    Json.putIfNotNull(body, "user", p.endUser());
    if (!p.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      p.stop().forEach(stop::add);
    }
    if (options.stream()) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true); // so every stream can be billed
    }
    return body;
  }

  private static void user(Message m, ArrayNode messages) {
    List<ContentBlock> rest = new ArrayList<>();
    for (ContentBlock b : m.content()) {
      if (b instanceof ContentBlock.ToolResult result) {
        messages.addObject().put("role", "tool").put("tool_call_id", result.toolCallId())
            .put("content", (result.isError() ? "Error: " : "") + joinedText(result.content()));
      } else {
        rest.add(b);
      }
    }
    if (rest.isEmpty()) return;
    ObjectNode msg = messages.addObject().put("role", "user");
    if (rest.size() == 1 && rest.get(0) instanceof ContentBlock.Text t) {
      msg.put("content", t.text());
      return;
    }
    ArrayNode parts = msg.putArray("content");
    for (ContentBlock b : rest) {
      if (b instanceof ContentBlock.Text t) {
        parts.addObject().put("type", "text").put("text", t.text());
      } else if (b instanceof ContentBlock.Image img) {
        ObjectNode url = parts.addObject().put("type", "image_url").putObject("image_url");
        url.put("url", img.url() != null ? img.url() : "data:" + img.mediaType() + ";base64," + img.data());
        Json.putIfNotNull(url, "detail", img.detail());
      } else if (b instanceof ContentBlock.Opaque o && o.origin() == WireFormat.OPENAI) {
        parts.add(o.raw());
      } // reasoning and foreign blocks have no place in an OpenAI user turn
    }
  }

  private static void assistant(Message m, ArrayNode messages) {
    ObjectNode msg = messages.addObject().put("role", "assistant");
    StringBuilder text = new StringBuilder();
    ArrayNode calls = null;
    for (ContentBlock b : m.content()) {
      if (b instanceof ContentBlock.Text t) {
        text.append(t.text());
      } else if (b instanceof ContentBlock.ToolCall call) {
        if (calls == null) calls = Json.array();
        calls.addObject().put("id", call.id()).put("type", "function")
            .putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
      }
    }
    if (text.length() > 0 || calls == null) {
      msg.put("content", text.toString());
    } else {
      msg.putNull("content");
    }
    if (calls != null) msg.set("tool_calls", calls);
  }

  static String joinedText(List<ContentBlock> blocks) {
    StringBuilder out = new StringBuilder();
    for (ContentBlock b : blocks) {
      if (b instanceof ContentBlock.Text t) {
        if (out.length() > 0) out.append("\n\n");
        out.append(t.text());
      }
    }
    return out.toString();
  }
}
