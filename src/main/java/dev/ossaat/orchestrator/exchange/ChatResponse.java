package dev.ossaat.orchestrator.exchange;

import java.util.List;

/**
 * A whole answer in neutral form.
 *
 * @param stopSequence the stop sequence that ended it, when {@code stop} is {@link StopReason#STOP_SEQUENCE}
 * @param usage what the provider reported, or null
 */
public record ChatResponse(String id, String model, List<ContentBlock> content, StopReason stop, String stopSequence,
    Usage usage) {
  public ChatResponse {
    content = List.copyOf(content);
  }
}
