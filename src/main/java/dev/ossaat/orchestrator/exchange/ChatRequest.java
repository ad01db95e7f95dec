package dev.ossaat.orchestrator.exchange;

import java.util.List;

/**
 * A chat request in neutral form: what a codec decodes a client's request into when the provider
 * speaks another format, and encodes a provider request from.
 *
 * @param system system instructions (text blocks, possibly with cache markers); empty when none
 * @param toolChoice null when the client did not say
 */
public record ChatRequest(String model, List<ContentBlock> system, List<Message> messages, List<ToolDefinition> tools,
    ToolChoice toolChoice, GenerationParams params, boolean stream) {
  public ChatRequest {
    system = List.copyOf(system);
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
  }
}
