package dev.ossaat.orchestrator.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

/**
 * A validated client request in OpenAI's format, the neutral form every adapter translates from.
 *
 * @param body the parsed body; adapters must not modify it (copy first)
 * @param raw the original bytes, forwarded unchanged when no translation is needed
 * @param includeUsage whether the client asked for {@code stream_options.include_usage}
 */
public record ApiRequest(Operation operation, ObjectNode body, Buffer raw, String model, boolean includeUsage) {
  public boolean stream() {
    return operation == Operation.CHAT_STREAM;
  }
}
