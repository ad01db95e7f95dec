package dev.ossaat.orchestrator.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.Sse;
import dev.ossaat.orchestrator.codec.SseEventSplitter;
import dev.ossaat.orchestrator.codec.responses.ResponsesUsage;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.StreamDialect;
import dev.ossaat.orchestrator.provider.StreamSink;
import io.vertx.core.buffer.Buffer;

/**
 * OpenAI's Responses stream, passed through to a Responses client: told apart by its {@code event:}
 * lines, so only the final event ({@code response.completed} or {@code response.incomplete}, which
 * carries the usage and ends the stream) and the failures ({@code response.failed}, {@code error}) are
 * parsed. The stream commits at its first event after {@code response.created} and
 * {@code response.in_progress}: those alone are not an answer yet.
 */
final class ResponsesStreamDialect implements StreamDialect {
  private final String provider;
  private ProviderException error;

  ResponsesStreamDialect(String provider) {
    this.provider = provider;
  }

  @Override
  public Action inspect(Buffer event, StreamSink usageSink) {
    String type = Sse.type(event);
    if (type == null) return Action.FORWARD;
    switch (type) {
      case "response.completed":
      case "response.incomplete":
        try {
          Usage usage = ResponsesUsage.read(Json.parseObject(SseEventSplitter.data(event)).path("response").get("usage"));
          if (usage != null) usageSink.usage(usage);
        } catch (RuntimeException unreadable) {
          // passed on; the usage is then estimated
        }
        return Action.FORWARD_AND_END;
      case "response.failed":
      case "error":
        error = failure(type, event);
        return Action.FAIL;
      default:
        return Action.FORWARD;
    }
  }

  private ProviderException failure(String type, Buffer event) {
    String message = "";
    try {
      JsonNode data = Json.parseObject(SseEventSplitter.data(event));
      JsonNode e = type.equals("error") ? data : data.path("response").path("error");
      if (e.path("error").isObject()) e = e.get("error");
      message = e.path("message").asText("");
    } catch (RuntimeException unreadable) {
      // the type alone says enough
    }
    return ProviderException.of(provider, ErrorType.STREAM_CUT, "stream from " + provider + " reported " + type
        + (message.isEmpty() ? "" : ": " + message));
  }

  @Override
  public ProviderException error() {
    return error;
  }

  @Override
  public boolean commits(Buffer event) {
    String type = Sse.type(event);
    return type != null && !type.equals("response.created") && !type.equals("response.in_progress");
  }
}
