package dev.ossaat.orchestrator.exchange;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;

/**
 * A client's request as it arrived, validated enough to route: the ingress format, the parsed body
 * and the original bytes. The neutral form is built only when a provider speaks another format
 * (once, then kept), so a same-format request is never translated.
 *
 * @param body the parsed body; nobody may modify it (copy first)
 * @param raw the original bytes, forwarded with surgical edits when the provider speaks the same format
 * @param includeUsage the client asked for a usage report in its stream ({@code stream_options.include_usage})
 */
public final class ClientRequest {
  private final WireFormat format;
  private final Operation operation;
  private final ObjectNode body;
  private final Buffer raw;
  private final String model;
  private final boolean includeUsage;
  private final Function<ObjectNode, ChatRequest> decoder;
  private ChatRequest neutral;

  /** @param decoder the ingress codec's request decoder, used at most once */
  public ClientRequest(WireFormat format, Operation operation, ObjectNode body, Buffer raw, String model, boolean includeUsage,
      Function<ObjectNode, ChatRequest> decoder) {
    this.format = format;
    this.operation = operation;
    this.body = body;
    this.raw = raw;
    this.model = model;
    this.includeUsage = includeUsage;
    this.decoder = decoder;
  }

  public WireFormat format() {
    return format;
  }

  public Operation operation() {
    return operation;
  }

  public ObjectNode body() {
    return body;
  }

  public Buffer raw() {
    return raw;
  }

  public String model() {
    return model;
  }

  public boolean stream() {
    return operation == Operation.CHAT_STREAM;
  }

  public boolean includeUsage() {
    return includeUsage;
  }

  /**
   * The request in neutral form, decoded on first use (on the request's event loop, so no locking).
   *
   * @throws RuntimeException the ingress codec's error when the body cannot be translated
   */
  public ChatRequest neutral() {
    if (neutral == null) neutral = decoder.apply(body);
    return neutral;
  }
}
