package dev.ossaat.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.provider.ApiRequest;
import dev.ossaat.orchestrator.provider.Operation;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Validates a client body just enough to route it safely; everything else is the provider's to judge
 * (and its 4xx comes back to the client as sent).
 */
final class RequestParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestParser() {}

  /** The outcome: a request, or the 400 to answer. */
  sealed interface Parsed permits Valid, Invalid {}

  record Valid(ApiRequest request) implements Parsed {}

  record Invalid(ApiError error) implements Parsed {}

  /** A JSON object with a model: what every route needs before its own checks. */
  private record Start(ObjectNode body, String model) {}

  private static Start start(Buffer raw) throws InvalidBody {
    ObjectNode body = object(raw);
    return new Start(body, model(body));
  }

  static Parsed chat(Buffer raw) {
    Start start;
    try {
      start = start(raw);
    } catch (InvalidBody e) {
      return new Invalid(e.error);
    }
    ObjectNode body = start.body();
    String model = start.model();
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      return new Invalid(ApiError.invalidRequest("'messages' must be a non-empty array", "messages"));
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      if (!m.isObject() || !m.path("role").isTextual()) {
        return new Invalid(ApiError.invalidRequest("messages[" + i + "] must be an object with a 'role'", "messages"));
      }
    }
    JsonNode stream = body.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) {
      return new Invalid(ApiError.invalidRequest("'stream' must be true or false", "stream"));
    }
    boolean streaming = stream != null && stream.asBoolean(false);
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    return new Valid(new ApiRequest(streaming ? Operation.CHAT_STREAM : Operation.CHAT, body, raw, model, includeUsage));
  }

  static Parsed embeddings(Buffer raw) {
    Start start;
    try {
      start = start(raw);
    } catch (InvalidBody e) {
      return new Invalid(e.error);
    }
    JsonNode input = start.body().get("input");
    boolean valid = input != null && (input.isTextual() || (input.isArray() && !input.isEmpty()));
    if (!valid) return new Invalid(ApiError.invalidRequest("'input' must be a string or a non-empty array", "input"));
    return new Valid(new ApiRequest(Operation.EMBEDDINGS, start.body(), raw, start.model(), false));
  }

  private static String model(ObjectNode body) throws InvalidBody {
    JsonNode model = body.get("model");
    if (model != null && model.isTextual() && !model.textValue().isBlank()) return model.textValue();
    throw new InvalidBody(ApiError.invalidRequest("you must provide a model parameter", "model"));
  }

  private static ObjectNode object(Buffer raw) throws InvalidBody {
    if (raw == null || raw.length() == 0) {
      throw new InvalidBody(ApiError.invalidRequest("the request body is empty; expected a JSON object", null));
    }
    JsonNode node;
    try {
      node = JSON.readTree(raw.getBytes());
    } catch (JsonProcessingException e) {
      throw new InvalidBody(ApiError.invalidRequest("the request body is not valid JSON: "
          + e.getOriginalMessage(), null));
    } catch (IOException e) {
      throw new InvalidBody(ApiError.invalidRequest("the request body could not be read", null));
    }
    if (node == null || !node.isObject()) {
      throw new InvalidBody(ApiError.invalidRequest("the request body must be a JSON object", null));
    }
    return (ObjectNode) node;
  }

  private static final class InvalidBody extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient ApiError error;

    InvalidBody(ApiError error) {
      super(null, null, false, false);
      this.error = error;
    }
  }
}
