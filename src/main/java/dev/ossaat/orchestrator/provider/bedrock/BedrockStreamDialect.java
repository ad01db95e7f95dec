package dev.ossaat.orchestrator.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.Sse;
import dev.ossaat.orchestrator.codec.SseEventSplitter;
import dev.ossaat.orchestrator.codec.bedrock.BedrockStreamEvents;
import dev.ossaat.orchestrator.codec.bedrock.BedrockUsage;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.StreamDialect;
import dev.ossaat.orchestrator.provider.StreamSink;
import io.vertx.core.buffer.Buffer;

/**
 * ConverseStream's events: {@code messageStart} (given the answer's id and model, which Bedrock
 * leaves out), content block events, {@code messageStop} with the stop reason, then
 * {@code metadata} with the usage: the last event, so it is the end. An exception event fails the
 * stream, classed by its name. The stream commits at its first content event.
 */
final class BedrockStreamDialect implements StreamDialect {
  private final String provider;
  private final String id;
  private final String model;
  private ProviderException error;
  private Buffer replacement;

  BedrockStreamDialect(String provider, String id, String model) {
    this.provider = provider;
    this.id = id;
    this.model = model;
  }

  @Override
  public Action inspect(Buffer event, StreamSink usageSink) {
    String type = Sse.type(event);
    if (type == null) return Action.DROP;
    if (BedrockStreamEvents.isException(type) || type.equals("error")) {
      error = failure(type, event);
      return Action.FAIL;
    }
    switch (type) {
      case "messageStart":
        replacement = Sse.event("messageStart", Json.object().put("role", "assistant").put("id", id).put("model", model));
        return Action.REPLACE;
      case "metadata":
        report(event, usageSink);
        return Action.FORWARD_AND_END;
      default:
        return Action.FORWARD;
    }
  }

  private void report(Buffer event, StreamSink usageSink) {
    Usage usage;
    try {
      usage = BedrockUsage.read(Json.parseObject(SseEventSplitter.data(event)).get("usage"));
    } catch (RuntimeException unreadable) {
      return; // left to the estimate
    }
    if (usage != null) usageSink.usage(usage);
  }

  private ProviderException failure(String type, Buffer event) {
    String message = "";
    try {
      JsonNode data = Json.parseObject(SseEventSplitter.data(event));
      message = data.path("message").asText(data.path("Message").asText(""));
      if (type.equals("error")) type = data.path("code").asText("error");
    } catch (RuntimeException unreadable) {
      // the name alone
    }
    ErrorType kind = BedrockErrors.of(type);
    if (kind == null || kind == ErrorType.SERVER_ERROR) kind = ErrorType.STREAM_CUT;
    return ProviderException.of(provider, kind, "stream from " + provider + " reported " + type
        + (message.isEmpty() ? "" : ": " + message));
  }

  @Override
  public Buffer replacement() {
    return replacement;
  }

  @Override
  public ProviderException error() {
    return error;
  }

  @Override
  public boolean commits(Buffer event) {
    String type = Sse.type(event);
    return type != null && (type.startsWith("contentBlock") || type.equals("messageStop"));
  }
}
