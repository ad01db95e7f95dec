package dev.ossaat.orchestrator.codec.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.EgressOnlyCodec;
import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.EgressOptions;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.exchange.ChatRequest;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.GenerationParams;
import dev.ossaat.orchestrator.exchange.Message;
import dev.ossaat.orchestrator.exchange.Role;
import dev.ossaat.orchestrator.exchange.StopReason;
import dev.ossaat.orchestrator.exchange.ToolChoice;
import dev.ossaat.orchestrator.exchange.ToolDefinition;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.exchange.WireFormat;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ollama's native chat API ({@code POST /api/chat}), egress only. Messages carry plain-text
 * {@code content}, base64 {@code images}, {@code tool_calls} with arguments as an object, and tool
 * results as {@code role: tool} messages naming the tool; generation settings go in {@code options}
 * ({@code num_predict}, {@code temperature}, {@code top_p}, {@code top_k}, {@code stop}, {@code seed});
 * OpenAI's JSON response formats become {@code format}. {@code stream} is always sent: Ollama streams
 * unless told not to. Usage is {@code prompt_eval_count} (absent when the whole prompt was cached) and
 * {@code eval_count}; {@code done_reason} is the stop reason.
 */
public final class OllamaCodec extends EgressOnlyCodec {
  public static final OllamaCodec INSTANCE = new OllamaCodec();

  private OllamaCodec() {}

  @Override
  public WireFormat format() {
    return WireFormat.OLLAMA;
  }

  @Override
  public Buffer encodeRequest(ChatRequest r, EgressOptions options) {
    ObjectNode body = Json.object().put("model", options.model());
    ArrayNode messages = body.putArray("messages");
    String system = text(r.system());
    if (!system.isEmpty()) messages.addObject().put("role", "system").put("content", system);
    Map<String, String> toolNames = new HashMap<>();
    for (Message m : r.messages()) {
      if (m.role() == Role.ASSISTANT) {
        ObjectNode out = Json.object().put("role", "assistant").put("content", text(m.content()));
        ArrayNode calls = Json.array();
        for (ContentBlock b : m.content()) {
          if (b instanceof ContentBlock.ToolCall c) {
            toolNames.put(c.id(), c.name());
            ObjectNode f = calls.addObject().putObject("function").put("name", c.name());
            f.set("arguments", arguments(c.argumentsJson()));
          }
        }
        if (!calls.isEmpty()) out.set("tool_calls", calls);
        messages.add(out);
        continue;
      }
      for (ContentBlock b : m.content()) {
        if (b instanceof ContentBlock.ToolResult t) {
          ObjectNode out = messages.addObject().put("role", "tool").put("content", text(t.content()));
          String name = toolNames.get(t.toolCallId());
          if (name != null) out.put("tool_name", name);
        }
      }
      String text = text(m.content());
      ArrayNode images = Json.array();
      for (ContentBlock b : m.content()) {
        if (b instanceof ContentBlock.Image img) {
          if (img.data() == null) throw new CodecException("Ollama takes images as inline data only (a data: URL or base64), not by URL", "messages");
          images.add(img.data());
        }
      }
      if (text.isEmpty() && images.isEmpty()) continue;
      ObjectNode out = messages.addObject().put("role", "user").put("content", text);
      if (!images.isEmpty()) out.set("images", images);
    }
    ToolChoice choice = r.toolChoice();
    if (!r.tools().isEmpty() && (choice == null || choice.mode() != ToolChoice.Mode.NONE)) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition t : r.tools()) {
        ObjectNode f = tools.addObject().put("type", "function").putObject("function").put("name", t.name());
        Json.putIfNotNull(f, "description", t.description());
        f.set("parameters", t.parameters() == null ? Json.object().put("type", "object") : t.parameters());
      }
    }
    GenerationParams p = r.params();
    ObjectNode o = Json.object();
    Json.putIfNotNull(o, "num_predict", p.maxTokens());
    Json.putIfNotNull(o, "temperature", p.temperature());
    Json.putIfNotNull(o, "top_p", p.topP());
    Json.putIfNotNull(o, "top_k", p.topK());
    Json.putIfNotNull(o, "seed", p.seed());
    if (!p.stop().isEmpty()) {
      ArrayNode stop = o.putArray("stop");
      p.stop().forEach(stop::add);
    }
    if (!o.isEmpty()) body.set("options", o);
    JsonNode format = p.responseFormat();
    if (format != null) {
      String type = format.path("type").asText("");
      if (type.equals("json_object")) body.put("format", "json");
      else if (type.equals("json_schema") && format.path("json_schema").path("schema").isObject()) {
        body.set("format", format.path("json_schema").path("schema"));
      }
    }
    // OpenAI's reasoning_effort (or Anthropic's thinking) asks a thinking model to think; none/minimal ask it not to.
    if (p.reasoningEffort() != null) {
      body.put("think", !p.reasoningEffort().equals("none") && !p.reasoningEffort().equals("minimal"));
    } else if (p.thinking() != null) {
      body.put("think", "enabled".equals(p.thinking().path("type").asText()));
    }
    body.put("stream", options.stream());
    return Json.buffer(body);
  }

  @Override
  public ChatResponse decodeResponse(Buffer body) {
    ObjectNode root = Json.parseObject(body);
    JsonNode message = root.path("message");
    if (!message.isObject()) throw new CodecException("an Ollama chat answer without a message");
    List<ContentBlock> content = new ArrayList<>();
    String thinking = message.path("thinking").asText("");
    if (!thinking.isEmpty()) content.add(new ContentBlock.Reasoning(thinking, null));
    String text = message.path("content").asText("");
    if (!text.isEmpty()) content.add(new ContentBlock.Text(text));
    int i = 0;
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode f = call.path("function");
      content.add(new ContentBlock.ToolCall(callId(call, i++), f.path("name").asText(""), argumentsText(f.path("arguments")), null));
    }
    StopReason stop = i > 0 ? StopReason.TOOL_USE : stop(root.path("done_reason").asText(null));
    return new ChatResponse(answerId(), root.path("model").asText(""), content, stop, null, usage(root));
  }

  @Override
  public StreamDecoder streamDecoder() {
    return new OllamaStreamDecoder();
  }

  @Override
  public Usage usageOf(Buffer body) {
    try {
      return usage(Json.parseObject(body));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@code prompt_eval_count} and {@code eval_count}; null when neither is there (a chunk before the end). */
  public static Usage usage(JsonNode root) {
    if (!root.has("prompt_eval_count") && !root.has("eval_count")) return null;
    return new Usage(root.path("prompt_eval_count").asLong(0), root.path("eval_count").asLong(0), 0, 0, 0, false);
  }

  /** Ollama names no answer: a random one, so clients that key on ids see distinct answers. */
  static String answerId() {
    return "ollama-" + (java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1);
  }

  static StopReason stop(String doneReason) {
    if (doneReason == null) return StopReason.END_TURN;
    return doneReason.equals("length") ? StopReason.MAX_TOKENS : StopReason.END_TURN;
  }

  /** Ollama names no tool call; the call's position gives it an id (newer servers send {@code id}, kept). */
  static String callId(JsonNode call, int index) {
    String id = call.path("id").asText("");
    return id.isEmpty() ? "call_ollama_" + index : id;
  }

  static String argumentsText(JsonNode arguments) {
    if (arguments.isTextual()) return arguments.textValue();
    if (arguments.isMissingNode() || arguments.isNull()) return "{}";
    return Json.buffer(arguments).toString();
  }

  private static JsonNode arguments(String json) {
    if (json == null || json.isBlank()) return Json.object();
    try {
      JsonNode node = Json.MAPPER.readTree(json);
      if (node != null && node.isObject()) return node;
    } catch (java.io.IOException | RuntimeException e) {
      // fall through
    }
    return Json.object();
  }

  private static String text(List<ContentBlock> blocks) {
    StringBuilder out = new StringBuilder();
    for (ContentBlock b : blocks) {
      if (b instanceof ContentBlock.Text t && !t.text().isEmpty()) {
        if (out.length() > 0) out.append("\n\n");
        out.append(t.text());
      }
    }
    return out.toString();
  }

}
