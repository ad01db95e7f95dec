package dev.ossaat.orchestrator.exchange;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function the model may call.
 *
 * @param parameters the JSON schema of its input (an object schema)
 * @param cacheControl Anthropic's prompt-cache marker, or null
 */
public record ToolDefinition(String name, String description, JsonNode parameters, JsonNode cacheControl) {}
