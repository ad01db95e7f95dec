package dev.ossaat.orchestrator.codec.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.Usage;
import io.vertx.core.buffer.Buffer;

/** Whole Messages answers to and from the neutral model. */
final class AnthropicResponses {
  private AnthropicResponses() {}

  static ChatResponse decode(Buffer body) {
    ObjectNode root = Json.parseObject(body);
    if (!root.path("content").isArray()) throw new CodecException("a message without content");
    String seq = root.path("stop_sequence").isTextual() ? root.get("stop_sequence").textValue() : null;
    return new ChatResponse(root.path("id").asText(""), root.path("model").asText(""),
        AnthropicBlocks.read(root.get("content")),
        AnthropicStops.read(root.path("stop_reason").isTextual() ? root.get("stop_reason").textValue() : null), seq,
        AnthropicUsage.read(root.get("usage")));
  }

  static Buffer encode(ChatResponse r) {
    ObjectNode root = Json.object()
        .put("id", messageId(r.id()))
        .put("type", "message")
        .put("role", "assistant")
        .put("model", r.model());
    ArrayNode content = root.putArray("content");
    for (ContentBlock b : r.content()) {
      if (b instanceof ContentBlock.Reasoning rs && (rs.signature() == null || rs.signature().isEmpty())) {
        // Reasoning from a format without signatures: shown to the client, unsigned.
        content.addObject().put("type", "thinking").put("thinking", rs.text()).put("signature", "");
        continue;
      }
      ObjectNode node = AnthropicBlocks.writeBlock(b);
      if (node != null) content.add(node);
    }
    root.put("stop_reason", AnthropicStops.write(r.stop()));
    if (r.stopSequence() == null) root.putNull("stop_sequence"); else root.put("stop_sequence", r.stopSequence());
    root.set("usage", AnthropicUsage.write(r.usage() == null ? Usage.NONE : r.usage()));
    return Json.buffer(root);
  }

  static String messageId(String id) {
    if (id == null || id.isEmpty()) return "msg_orchestrator";
    return id.startsWith("msg_") ? id : "msg_" + id;
  }
}
