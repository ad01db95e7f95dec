package dev.ossaat.orchestrator.provider;

import dev.ossaat.orchestrator.usage.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * A whole (non-streaming) answer, already in OpenAI's format.
 *
 * @param usage the provider's reported usage, or null when it reported none
 */
public record Completion(Buffer body, Usage usage) {}
