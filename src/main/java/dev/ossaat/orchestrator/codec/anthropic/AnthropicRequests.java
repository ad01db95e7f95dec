package dev.ossaat.orchestrator.codec.anthropic;

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
import java.util.ArrayList;
import java.util.List;

/** Anthropic Messages requests to and from the neutral model. */
final class AnthropicRequests {
  private AnthropicRequests() {}

  /** What every Messages request needs before it can be routed: model, max_tokens, messages. */
  static void validate(ObjectNode body) {
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.textValue().isBlank()) {
      throw new CodecException("model: Field required", "model");
    }
    JsonNode max = body.get("max_tokens");
    if (max == null || !max.isIntegralNumber() || max.longValue() < 1) {
      throw new CodecException("max_tokens: Field required (a positive integer)", "max_tokens");
    }
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new CodecException("messages: must be a non-empty list", "messages");
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String role = m.path("role").asText("");
      if (!m.isObject() || !(role.equals("user") || role.equals("assistant"))) {
        throw new CodecException("messages." + i + ".role: Input should be 'user' or 'assistant'", "messages");
      }
      JsonNode content = m.get("content");
      if (content == null || !(content.isTextual() || content.isArray())) {
        throw new CodecException("messages." + i + ".content: Field required (a string or a list of blocks)", "messages");
      }
    }
    JsonNode stream = body.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) throw new CodecException("stream: must be a boolean", "stream");
  }

  static ChatRequest decode(ObjectNode body) {
    validate(body);
    List<ContentBlock> system = new ArrayList<>();
    JsonNode sys = body.get("system");
    if (sys != null && !sys.isNull()) system.addAll(AnthropicBlocks.read(sys));
    List<Message> messages = new ArrayList<>();
    for (JsonNode m : body.get("messages")) {
      Role role = m.get("role").textValue().equals("user") ? Role.USER : Role.ASSISTANT;
      messages.add(new Message(role, AnthropicBlocks.read(m.get("content"))));
    }
    List<ToolDefinition> tools = new ArrayList<>();
    for (JsonNode t : body.path("tools")) {
      if (!t.path("name").isTextual()) throw new CodecException("tools: every tool needs a name", "tools");
      if (t.has("type") && !t.path("type").asText().equals("custom") && !t.has("input_schema")) {
        continue; // a server tool (web search, ...) only Anthropic can run; it has no other form
      }
      tools.add(new ToolDefinition(t.get("name").textValue(), t.path("description").isTextual() ? t.get("description").textValue() : null,
          t.has("input_schema") ? t.get("input_schema") : Json.object().put("type", "object"), Json.optional(t, "cache_control")));
    }
    JsonNode metadata = body.path("metadata");
    GenerationParams params = new GenerationParams(
        body.get("max_tokens").intValue(), Json.number(body, "temperature", "temperature"), Json.number(body, "top_p", "top_p"),
        Json.integer(body, "top_k", "top_k"), Json.strings(body, "stop_sequences", "stop_sequences"), null,
        Json.optional(body, "thinking"), null, null,
        metadata.path("user_id").isTextual() ? metadata.get("user_id").textValue() : null);
    return new ChatRequest(body.get("model").textValue(), system, messages, tools, toolChoice(body.get("tool_choice")), params,
        Boolean.TRUE.equals(Json.bool(body, "stream", "stream")));
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) return null;
    Boolean parallel = choice.path("disable_parallel_tool_use").isBoolean() ? !choice.get("disable_parallel_tool_use").booleanValue() : null;
    return switch (choice.path("type").asText("auto")) {
      case "any" -> new ToolChoice(ToolChoice.Mode.ANY, null, parallel);
      case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null, parallel);
      case "tool" -> new ToolChoice(ToolChoice.Mode.TOOL, choice.path("name").asText(""), parallel);
      default -> new ToolChoice(ToolChoice.Mode.AUTO, null, parallel);
    };
  }

  // ----------------------------------------------------------------- egress

  static ObjectNode encode(ChatRequest r, EgressOptions options) {
    ObjectNode body = Json.object();
    body.put("model", options.model());
    GenerationParams p = r.params();
    int maxTokens = p.maxTokens() != null ? p.maxTokens() : options.defaultMaxTokens();
    body.put("max_tokens", maxTokens);
    JsonNode thinking = p.thinking() != null ? p.thinking() : thinkingFor(p.reasoningEffort(), maxTokens);
    // Extended thinking refuses a changed temperature or top_k: when the thinking is ours (from an
    // OpenAI reasoning_effort) they are left out rather than have the request refused.
    boolean derivedThinking = p.thinking() == null && thinking != null;
    if (!r.system().isEmpty()) {
      boolean marked = r.system().stream().anyMatch(b -> b instanceof ContentBlock.Text t && t.cacheControl() != null);
      if (marked) {
        AnthropicBlocks.write(r.system(), body.putArray("system"));
      } else {
        body.put("system", joinedText(r.system()));
      }
    }
    ArrayNode messages = body.putArray("messages");
    ObjectNode previous = null;
    for (Message m : r.messages()) {
      ArrayNode content = Json.array();
      AnthropicBlocks.write(m.content(), content);
      if (content.isEmpty()) continue;
      String role = m.role() == Role.USER ? "user" : "assistant";
      if (previous != null && previous.get("role").textValue().equals(role)) {
        ((ArrayNode) previous.get("content")).addAll(content); // Anthropic wants turns to alternate
        continue;
      }
      previous = messages.addObject().put("role", role);
      previous.set("content", content);
    }
    if (!r.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition t : r.tools()) {
        ObjectNode tool = tools.addObject().put("name", t.name());
        Json.putIfNotNull(tool, "description", t.description());
        tool.set("input_schema", t.parameters());
        Json.putIfNotNull(tool, "cache_control", t.cacheControl());
      }
    }
    ToolChoice choice = r.toolChoice();
    if (choice != null && !r.tools().isEmpty()) {
      ObjectNode c = body.putObject("tool_choice");
      switch (choice.mode()) {
        case AUTO -> c.put("type", "auto");
        case NONE -> c.put("type", "none");
        case ANY -> c.put("type", "any");
        case TOOL -> c.put("type", "tool").put("name", choice.tool());
      }
      if (Boolean.FALSE.equals(choice.parallel()) && choice.mode() != ToolChoice.Mode.NONE) c.put("disable_parallel_tool_use", true);
    }
    // Anthropic's temperature ranges 0..1 where OpenAI's ranges 0..2.
    if (p.temperature() != null && !derivedThinking) body.put("temperature", Math.min(1.0, Math.max(0.0, p.temperature())));
    Json.putIfNotNull(body, "top_p", p.topP());
    if (!derivedThinking) Json.putIfNotNull(body, "top_k", p.topK());
    if (!p.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop_sequences");
      p.stop().forEach(stop::add);
    }
    Json.putIfNotNull(body, "thinking", thinking);
    if (p.endUser() != null) body.putObject("metadata").put("user_id", p.endUser());
    if (options.stream()) body.put("stream", true);
    return body;
  }

  /**
   * Anthropic's extended thinking for OpenAI's {@code reasoning_effort}: a budget per effort, below
   * {@code max_tokens} and at least Anthropic's minimum of 1024, else none. {@code minimal} and
   * {@code none} ask for no thinking.
   */
  static JsonNode thinkingFor(String effort, int maxTokens) {
    if (effort == null) return null;
    int budget = switch (effort) {
      case "low" -> 1024;
      case "medium" -> 4096;
      case "high" -> 16384;
      default -> 0;
    };
    budget = Math.min(budget, maxTokens - 1);
    if (budget < 1024) return null;
    return Json.object().put("type", "enabled").put("budget_tokens", budget);
  }

  private static String joinedText(List<ContentBlock> blocks) {
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
