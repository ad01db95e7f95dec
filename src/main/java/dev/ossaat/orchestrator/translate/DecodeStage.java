package dev.ossaat.orchestrator.translate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.ChatCodec;
import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.anthropic.AnthropicCodec;
import dev.ossaat.orchestrator.codec.responses.ResponsesRequests;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.ClientRequest;
import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.pipeline.Ingress;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Reads the client's body in its ingress format and checks just enough to route it safely (a JSON
 * object, a model, messages or input); everything else is the provider's to judge. The neutral form
 * is not built here: only a provider of another format needs it. A bad body ends the request with a
 * 400 in the client's format.
 */
public final class DecodeStage implements Stage {
  /** Bytes after the JSON object are refused: forwarded, they would hide edits spliced before the end. */
  private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @Override
  public String name() {
    return "decode";
  }

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    ClientRequest request;
    try {
      request = decode(ex);
    } catch (CodecException e) {
      ApiError error = ApiError.invalidRequest(e.getMessage(), e.param());
      ex.outcome().answeredByGateway(400, e.getMessage());
      return Future.succeededFuture(new Reply.Failure(error));
    }
    ex.request(request);
    return next.proceed();
  }

  private static ClientRequest decode(RequestExchange ex) {
    if (ex.ingress() == Ingress.RESPONSE_GET || ex.ingress() == Ingress.RESPONSE_DELETE) {
      // No body: the response id is in the path; "-" is the model of the log line.
      return new ClientRequest(WireFormat.RESPONSES, Operation.RESPONSE_LOOKUP, Json.object(), Buffer.buffer(), "-", false,
          b -> {
            throw new CodecException("a response lookup has no request to translate", null);
          });
    }
    Buffer raw = ex.rawBody();
    ObjectNode body = object(raw);
    ChatCodec codec = ex.codec();
    switch (ex.ingress()) {
      case CHAT_COMPLETIONS: {
        String model = model(body);
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
          throw new CodecException("'messages' must be a non-empty array", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
          JsonNode m = messages.get(i);
          if (!m.isObject() || !m.path("role").isTextual()) {
            throw new CodecException("messages[" + i + "] must be an object with a 'role'", "messages");
          }
        }
        boolean streaming = stream(body);
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        return new ClientRequest(WireFormat.OPENAI, streaming ? Operation.CHAT_STREAM : Operation.CHAT, body, raw, model,
            includeUsage, codec::decodeRequest);
      }
      case EMBEDDINGS: {
        String model = model(body);
        JsonNode input = body.get("input");
        boolean valid = input != null && (input.isTextual() || (input.isArray() && !input.isEmpty()));
        if (!valid) throw new CodecException("'input' must be a string or a non-empty array", "input");
        return new ClientRequest(WireFormat.OPENAI, Operation.EMBEDDINGS, body, raw, model, false, codec::decodeRequest);
      }
      case MESSAGES: {
        AnthropicCodec.validate(body);
        boolean streaming = stream(body);
        // Anthropic's streams always carry their usage: the client "asked" for it.
        return new ClientRequest(WireFormat.ANTHROPIC, streaming ? Operation.CHAT_STREAM : Operation.CHAT, body, raw,
            body.get("model").textValue(), true, codec::decodeRequest);
      }
      case COUNT_TOKENS: {
        String model = model(body);
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray()) throw new CodecException("messages: Field required", "messages");
        return new ClientRequest(WireFormat.ANTHROPIC, Operation.CHAT, body, raw, model, false, codec::decodeRequest);
      }
      case RESPONSES: {
        ResponsesRequests.validate(body);
        boolean streaming = stream(body);
        // A Responses stream always ends with the usage (response.completed): the client "asked" for it.
        return new ClientRequest(WireFormat.RESPONSES, streaming ? Operation.CHAT_STREAM : Operation.CHAT, body, raw,
            body.get("model").textValue(), true, codec::decodeRequest);
      }
      default:
        throw new IllegalStateException("no decoder for " + ex.ingress());
    }
  }

  private static boolean stream(ObjectNode body) {
    JsonNode stream = body.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) {
      throw new CodecException("'stream' must be true or false", "stream");
    }
    return stream != null && stream.asBoolean(false);
  }

  private static String model(ObjectNode body) {
    JsonNode model = body.get("model");
    if (model != null && model.isTextual() && !model.textValue().isBlank()) return model.textValue();
    throw new CodecException("you must provide a model parameter", "model");
  }

  private static ObjectNode object(Buffer raw) {
    if (raw == null || raw.length() == 0) {
      throw new CodecException("the request body is empty; expected a JSON object", null);
    }
    JsonNode node;
    try {
      node = READER.readTree(raw.getBytes());
    } catch (JsonProcessingException e) {
      throw new CodecException("the request body is not valid JSON: " + firstLine(e.getOriginalMessage()), null);
    } catch (IOException e) {
      throw new CodecException("the request body could not be read", null);
    }
    if (node == null || !node.isObject()) throw new CodecException("the request body must be a JSON object", null);
    return (ObjectNode) node;
  }

  private static String firstLine(String message) {
    if (message == null) return "unreadable";
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
