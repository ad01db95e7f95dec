package dev.ossaat.orchestrator.provider;

import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.exchange.WireFormat;
import io.vertx.core.buffer.Buffer;

/**
 * A whole (non-streaming) answer, as the provider sent it.
 *
 * @param format the wire format of {@code body}: the provider's
 * @param usage the provider's reported usage, or null when it reported none
 */
public record Completion(Buffer body, WireFormat format, Usage usage) {}
