package dev.ossaat.orchestrator.exchange;

import java.util.List;

/** One turn of the conversation. */
public record Message(Role role, List<ContentBlock> content) {
  public Message {
    content = List.copyOf(content);
  }
}
