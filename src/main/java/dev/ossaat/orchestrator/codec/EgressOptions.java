package dev.ossaat.orchestrator.codec;

/**
 * What a provider request needs beyond the neutral request.
 *
 * @param model the model name to send (a provider may serve another than the one asked for)
 * @param defaultMaxTokens the output limit to send to a format that requires one when the client set none
 */
public record EgressOptions(String model, boolean stream, int defaultMaxTokens) {}
