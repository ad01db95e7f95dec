package dev.ossaat.orchestrator.codec.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.ChatRequest;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.GenerationParams;
import dev.ossaat.orchestrator.exchange.Message;
import dev.ossaat.orchestrator.exchange.Role;
import dev.ossaat.orchestrator.exchange.ToolChoice;
import dev.ossaat.orchestrator.exchange.ToolDefinition;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Neutral requests as {@code GenerateContentRequest}s: system text in {@code systemInstruction},
 * turns as {@code contents} with roles {@code user} and {@code model}, blocks as {@code parts}. The
 * model is in the URL, not the body; so is streaming.
 *
 * <p>Images: inline data as {@code inlineData}; a URL as {@code fileData} (Gemini fetches
 * {@code gs://} and public https URLs of supported types itself; a URL it cannot read is its own clear
 * 400). Tool results become {@code functionResponse} parts named after the function of the call they
 * answer (looked up in the history by id, else read from our own id), their text as
 * {@code {"result": ...}} unless it is a JSON object already. Reasoning from earlier turns is not
 * sent back (Gemini does not take thought text back); a call's thought signature is, from its id.
 */
final class GeminiRequests {
  private GeminiRequests() {}

  static ObjectNode encode(ChatRequest r) {
    ObjectNode body = Json.object();
    String system = joinedText(r.system());
    if (!system.isEmpty()) body.putObject("systemInstruction").putArray("parts").addObject().put("text", system);
    ArrayNode contents = body.putArray("contents");
    Map<String, String> callNames = new HashMap<>();
    ObjectNode previous = null;
    for (Message m : r.messages()) {
      ArrayNode parts = Json.array();
      for (ContentBlock b : m.content()) {
        if (b instanceof ContentBlock.ToolCall call) callNames.put(call.id(), call.name());
        ObjectNode part = part(b, callNames);
        if (part != null) parts.add(part);
      }
      if (parts.isEmpty()) continue;
      String role = m.role() == Role.USER ? "user" : "model";
      // Gemini wants turns to alternate; consecutive turns of one role (tool results after a user
      // text, two OpenAI tool messages) are merged into one.
      if (previous != null && previous.get("role").textValue().equals(role)) {
        ((ArrayNode) previous.get("parts")).addAll(parts);
        continue;
      }
      previous = contents.addObject().put("role", role);
      previous.set("parts", parts);
    }
    if (contents.isEmpty()) throw new CodecException("the request has no content Gemini can take", "messages");
    tools(r, body);
    generationConfig(r.params(), body);
    return body;
  }

  private static ObjectNode part(ContentBlock b, Map<String, String> callNames) {
    if (b instanceof ContentBlock.Text t) {
      return t.text().isEmpty() ? null : Json.object().put("text", t.text());
    }
    if (b instanceof ContentBlock.Image img) {
      ObjectNode part = Json.object();
      if (img.url() != null) {
        part.putObject("fileData").put("mimeType", mimeTypeOf(img.url())).put("fileUri", img.url());
      } else {
        part.putObject("inlineData").put("mimeType", img.mediaType()).put("data", img.data());
      }
      return part;
    }
    if (b instanceof ContentBlock.ToolCall call) {
      ObjectNode part = Json.object();
      ObjectNode fc = part.putObject("functionCall");
      String id = GeminiToolIds.geminiId(call.id());
      if (id != null) fc.put("id", id);
      fc.put("name", call.name());
      fc.set("args", object(call.argumentsJson()));
      String signature = GeminiToolIds.signature(call.id());
      if (signature != null) part.put("thoughtSignature", signature);
      return part;
    }
    if (b instanceof ContentBlock.ToolResult result) {
      String name = callNames.get(result.toolCallId());
      if (name == null) name = GeminiToolIds.name(result.toolCallId());
      if (name == null) {
        throw new CodecException("a tool result answers the call '" + result.toolCallId()
            + "', which is not in the conversation: Gemini needs the function's name", "messages");
      }
      ObjectNode part = Json.object();
      ObjectNode fr = part.putObject("functionResponse");
      String id = GeminiToolIds.geminiId(result.toolCallId());
      if (id != null) fr.put("id", id);
      fr.put("name", name);
      fr.set("response", response(result));
      return part;
    }
    return null; // reasoning, redacted reasoning and other formats' blocks have no Gemini form
  }

  /** A tool result as the {@code response} object Gemini wants. */
  private static JsonNode response(ContentBlock.ToolResult result) {
    String text = joinedText(result.content());
    if (!result.isError()) {
      try {
        JsonNode parsed = Json.MAPPER.readTree(text);
        if (parsed != null && parsed.isObject()) return parsed;
      } catch (IOException notJson) {
        // plain text: wrapped below
      }
    }
    return Json.object().put(result.isError() ? "error" : "result", text);
  }

  private static void tools(ChatRequest r, ObjectNode body) {
    ToolChoice choice = r.toolChoice();
    if (!r.tools().isEmpty()) {
      ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
      for (ToolDefinition t : r.tools()) {
        ObjectNode d = declarations.addObject().put("name", t.name());
        if (t.description() != null) d.put("description", t.description());
        JsonNode schema = GeminiSchema.of(t.parameters());
        // A function without parameters is declared without a schema: Gemini refuses an empty object's properties.
        if (schema.path("properties").size() > 0 || !schema.path("type").asText("object").equals("object")) {
          d.set("parameters", schema);
        }
      }
    }
    if (choice == null || r.tools().isEmpty()) return;
    ObjectNode config = body.putObject("toolConfig").putObject("functionCallingConfig");
    switch (choice.mode()) {
      case NONE -> config.put("mode", "NONE");
      case ANY -> config.put("mode", "ANY");
      case TOOL -> {
        config.put("mode", "ANY");
        config.putArray("allowedFunctionNames").add(choice.tool());
      }
      default -> config.put("mode", "AUTO");
    }
  }

  private static void generationConfig(GenerationParams p, ObjectNode body) {
    ObjectNode g = Json.object();
    if (!p.stop().isEmpty()) {
      ArrayNode stops = g.putArray("stopSequences");
      p.stop().forEach(stops::add);
    }
    Json.putIfNotNull(g, "temperature", p.temperature());
    Json.putIfNotNull(g, "topP", p.topP());
    Json.putIfNotNull(g, "topK", p.topK());
    Json.putIfNotNull(g, "maxOutputTokens", p.maxTokens());
    Json.putIfNotNull(g, "seed", p.seed() == null ? null : (Object) (int) (long) p.seed());
    responseFormat(p.responseFormat(), g);
    ObjectNode thinking = thinking(p);
    if (thinking != null) g.set("thinkingConfig", thinking);
    if (!g.isEmpty()) body.set("generationConfig", g);
  }

  /** OpenAI's {@code response_format}: JSON mode and JSON schemas have Gemini forms; text is the default. */
  private static void responseFormat(JsonNode format, ObjectNode g) {
    if (format == null) return;
    switch (format.path("type").asText("")) {
      case "json_object" -> g.put("responseMimeType", "application/json");
      case "json_schema" -> {
        g.put("responseMimeType", "application/json");
        JsonNode schema = format.path("json_schema").get("schema");
        if (schema != null && schema.isObject()) g.set("responseSchema", GeminiSchema.of(schema));
      }
      default -> { }
    }
  }

  /**
   * Thinking: Anthropic's {@code budget_tokens} is Gemini's {@code thinkingBudget}; OpenAI's
   * {@code reasoning_effort} a budget by level. Either way the thoughts are asked for
   * ({@code includeThoughts}), so they reach the client as reasoning.
   */
  private static ObjectNode thinking(GenerationParams p) {
    Integer budget = null;
    if (p.thinking() != null) {
      String type = p.thinking().path("type").asText("");
      if (type.equals("disabled")) return Json.object().put("thinkingBudget", 0);
      if (p.thinking().path("budget_tokens").canConvertToInt()) budget = p.thinking().get("budget_tokens").intValue();
    } else if (p.reasoningEffort() != null) {
      budget = switch (p.reasoningEffort()) {
        case "minimal", "none" -> 0;
        case "low" -> 1024;
        case "high" -> 24576;
        default -> 8192;
      };
    }
    if (budget == null) return null;
    ObjectNode t = Json.object().put("thinkingBudget", budget);
    if (budget > 0) t.put("includeThoughts", true);
    return t;
  }

  private static JsonNode object(String json) {
    if (json == null || json.isBlank()) return Json.object();
    try {
      JsonNode node = Json.MAPPER.readTree(json);
      return node != null && node.isObject() ? node : Json.object();
    } catch (IOException e) {
      return Json.object();
    }
  }

  /** The media type of an image URL, from its extension; Gemini requires one with {@code fileData}. */
  static String mimeTypeOf(String url) {
    String path = url.toLowerCase(java.util.Locale.ROOT);
    int q = path.indexOf('?');
    if (q >= 0) path = path.substring(0, q);
    if (path.endsWith(".png")) return "image/png";
    if (path.endsWith(".webp")) return "image/webp";
    if (path.endsWith(".gif")) return "image/gif";
    if (path.endsWith(".heic")) return "image/heic";
    if (path.endsWith(".heif")) return "image/heif";
    if (path.endsWith(".jpg") || path.endsWith(".jpeg")) return "image/jpeg";
    throw new CodecException("Gemini needs an image URL's media type, and '" + redactedUrl(url)
        + "' does not end in .png, .jpg, .jpeg, .webp, .gif, .heic or .heif: send the image as a data: URL instead",
        "messages");
  }

  private static String redactedUrl(String url) {
    int q = url.indexOf('?');
    String shown = q >= 0 ? url.substring(0, q) : url; // a signed URL's query is a credential
    return shown.length() > 120 ? shown.substring(0, 120) + "..." : shown;
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
