package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A scenario's last request with a body, for golden tests of what the gateway sends upstream. Only the last
 * one is kept, and its body stays the request's own buffer: it is parsed only when someone asks.
 *
 * @param method the HTTP method
 * @param path the request path, scenario prefix included
 * @param headers the headers by lower-cased name, repeated ones joined with ", "; credentials redacted
 * @param apiKeyMatched whether the credential the profile's requireApiKey asks for matched; null when the
 *     profile requires none
 * @param endpoint the endpoint it went to
 * @param body the raw body
 */
record LastRequest(String method, String path, Map<String, String> headers, Boolean apiKeyMatched,
    Endpoint endpoint, Buffer body) {
  static final String REDACTED = "<redacted>";
  private static final Set<String> CREDENTIALS = Set.of("authorization", "x-api-key", "api-key", "x-goog-api-key",
      "x-amz-security-token");

  static LastRequest of(Exchange exchange, Endpoint endpoint, Buffer body, Boolean apiKeyMatched) {
    MultiMap all = exchange.request().headers();
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : all) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      String value = CREDENTIALS.contains(name) ? REDACTED : header.getValue();
      headers.merge(name, value, (first, next) -> CREDENTIALS.contains(name) ? first : first + ", " + next);
    }
    // Azure's paths carry the API version in the query: kept, as it is part of what the gateway sent.
    String path = AzureRoute.isAzure(exchange.request()) ? exchange.request().uri() : exchange.request().path();
    return new LastRequest(exchange.request().method().name(), path, headers, apiKeyMatched,
        endpoint, body);
  }

  /**
   * {@code {"method","path","headers","apiKeyMatched","body"}}: the body parsed (its text when it is not
   * JSON). A messages request adds {@code "assistantThinking":{"blocks":N,"intact":M}}: how many thinking
   * blocks its assistant messages carry and how many of them still have the signature the simulator gave them.
   */
  String toJson() {
    ObjectNode json = SimJson.MAPPER.createObjectNode();
    json.put("method", method).put("path", path);
    ObjectNode headerNode = json.putObject("headers");
    headers.forEach(headerNode::put);
    if (apiKeyMatched == null) {
      json.putNull("apiKeyMatched");
    } else {
      json.put("apiKeyMatched", apiKeyMatched);
    }
    JsonNode parsed;
    try {
      parsed = SimJson.MAPPER.readTree(body.getBytes());
    } catch (IOException e) {
      parsed = null;
    }
    if (parsed == null || parsed.isMissingNode()) {
      json.put("body", body.toString());
    } else {
      json.set("body", parsed);
    }
    if (endpoint == Endpoint.MESSAGES && parsed != null) {
      json.set("assistantThinking", assistantThinking(parsed.path("messages")));
    }
    return SimJson.write(json);
  }

  private static ObjectNode assistantThinking(JsonNode messages) {
    int blocks = 0;
    int intact = 0;
    for (JsonNode message : messages) {
      if (!"assistant".equals(message.path("role").asText()) || !(message.path("content") instanceof ArrayNode)) {
        continue;
      }
      for (JsonNode block : message.path("content")) {
        if ("thinking".equals(block.path("type").asText())) {
          blocks++;
          String thinking = block.path("thinking").asText("");
          if (AnthropicBodies.signature(thinking).equals(block.path("signature").asText())) {
            intact++;
          }
        }
      }
    }
    ObjectNode result = SimJson.MAPPER.createObjectNode();
    return result.put("blocks", blocks).put("intact", intact);
  }
}
