package dev.ossaat.orchestrator.codec.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.EgressOptions;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.ChatRequest;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.GenerationParams;
import dev.ossaat.orchestrator.exchange.Message;
import dev.ossaat.orchestrator.exchange.Role;
import dev.ossaat.orchestrator.exchange.ToolChoice;
import dev.ossaat.orchestrator.exchange.ToolDefinition;

/**
 * Neutral requests as Converse bodies. The model id goes in the URL path, not the body; Converse and
 * ConverseStream take the same body.
 *
 * <ul>
 *   <li>system instructions: {@code system} text blocks (with a {@code cachePoint} after a marked one);
 *   <li>messages: alternating user/assistant turns of content blocks (consecutive turns of one role
 *       merged, tool results in a user turn);
 *   <li>tools: {@code toolConfig.tools[].toolSpec} with {@code inputSchema.json}; {@code toolChoice}
 *       {@code auto}/{@code any}/{@code tool}. Converse has no "none": the tools are left out then,
 *       unless the conversation already holds tool blocks (Bedrock then requires the tool config);
 *   <li>{@code inferenceConfig}: maxTokens, temperature (clamped to 0..1), topP, stopSequences;
 *   <li>what only some models take goes in {@code additionalModelRequestFields}: {@code top_k} and
 *       Anthropic's {@code thinking} (for Claude models).
 * </ul>
 */
final class BedrockRequests {
  private BedrockRequests() {}

  static ObjectNode encode(ChatRequest r, EgressOptions options) {
    ObjectNode body = Json.object();
    ArrayNode messages = body.putArray("messages");
    ObjectNode previous = null;
    boolean toolBlocks = false;
    for (Message m : r.messages()) {
      ArrayNode content = Json.array();
      BedrockBlocks.write(m.content(), content);
      if (content.isEmpty()) continue;
      for (ContentBlock b : m.content()) {
        toolBlocks |= b instanceof ContentBlock.ToolCall || b instanceof ContentBlock.ToolResult;
      }
      String role = m.role() == Role.USER ? "user" : "assistant";
      if (previous != null && previous.get("role").textValue().equals(role)) {
        ((ArrayNode) previous.get("content")).addAll(content); // Converse wants turns to alternate
        continue;
      }
      previous = messages.addObject().put("role", role);
      previous.set("content", content);
    }
    if (!r.system().isEmpty()) {
      ArrayNode system = Json.array();
      BedrockBlocks.write(r.system().stream().filter(b -> b instanceof ContentBlock.Text).toList(), system);
      if (!system.isEmpty()) body.set("system", system);
    }
    GenerationParams p = r.params();
    ObjectNode inference = Json.object();
    int maxTokens = p.maxTokens() != null ? p.maxTokens() : options.defaultMaxTokens();
    inference.put("maxTokens", maxTokens);
    // Bedrock's models take a temperature of 0..1 where OpenAI's ranges 0..2.
    if (p.temperature() != null) inference.put("temperature", Math.min(1.0, Math.max(0.0, p.temperature())));
    Json.putIfNotNull(inference, "topP", p.topP());
    if (!p.stop().isEmpty()) {
      ArrayNode stop = inference.putArray("stopSequences");
      p.stop().forEach(stop::add);
    }
    body.set("inferenceConfig", inference);
    ToolChoice choice = r.toolChoice();
    boolean none = choice != null && choice.mode() == ToolChoice.Mode.NONE;
    if (!r.tools().isEmpty() && (!none || toolBlocks)) {
      ObjectNode toolConfig = body.putObject("toolConfig");
      ArrayNode tools = toolConfig.putArray("tools");
      for (ToolDefinition t : r.tools()) {
        ObjectNode spec = Json.object().put("name", t.name());
        Json.putIfNotNull(spec, "description", t.description());
        spec.putObject("inputSchema").set("json", t.parameters() == null ? Json.object().put("type", "object") : t.parameters());
        tools.addObject().set("toolSpec", spec);
        if (t.cacheControl() != null) tools.addObject().putObject("cachePoint").put("type", "default");
      }
      if (choice != null && !none) {
        ObjectNode c = toolConfig.putObject("toolChoice");
        switch (choice.mode()) {
          case ANY -> c.putObject("any");
          case TOOL -> c.putObject("tool").put("name", choice.tool());
          default -> c.putObject("auto");
        }
      }
    }
    ObjectNode extra = Json.object();
    if (p.topK() != null) extra.put("top_k", p.topK());
    JsonNode thinking = p.thinking();
    if (thinking != null && isAnthropic(options.model())) extra.set("thinking", thinking);
    if (!extra.isEmpty()) body.set("additionalModelRequestFields", extra);
    // Converse does not say which stop sequence ended the answer; Claude reports it when asked.
    if (!p.stop().isEmpty() && isAnthropic(options.model())) body.putArray("additionalModelResponseFieldPaths").add("/stop_sequence");
    return body;
  }

  /** Claude on Bedrock: {@code anthropic.claude-...}, or an inference profile of one ({@code us.anthropic.claude-...}). */
  static boolean isAnthropic(String modelId) {
    return modelId != null && (modelId.startsWith("anthropic.") || modelId.contains(".anthropic.")
        || modelId.contains("anthropic.claude"));
  }
}
