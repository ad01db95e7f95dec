package dev.ossaat.orchestrator.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import io.vertx.core.buffer.Buffer;

/**
 * One stored response: the response object as the client got it, and the whole input that led to it
 * (the earlier turns' items included), so a follow-up needs this one record, whichever replica reads it:
 * its input is {@code input} + {@code response.output} + the follow-up's own items.
 */
public record StoredResponse(ObjectNode response, ArrayNode input) {
  public String id() {
    return response.path("id").asText("");
  }

  /** The items a follow-up continues from: the input, then the output. */
  public ArrayNode conversation() {
    ArrayNode items = input.deepCopy();
    for (JsonNode item : response.path("output")) items.add(item.deepCopy());
    return items;
  }

  Buffer toBuffer() {
    ObjectNode root = Json.object();
    root.set("response", response);
    root.set("input", input);
    return Json.buffer(root);
  }

  static StoredResponse of(Buffer bytes) {
    ObjectNode root = Json.parseObject(bytes);
    JsonNode input = root.get("input");
    return new StoredResponse((ObjectNode) root.get("response"), input instanceof ArrayNode a ? a : Json.array());
  }
}
