package dev.ossaat.orchestrator.codec;

/**
 * What a client stream encoder needs to know about the request.
 *
 * @param includeUsage the client asked for a usage report ({@code stream_options.include_usage})
 * @param estimatedPromptTokens our estimate of the prompt, for formats that announce input tokens
 *     before the provider has reported them
 */
public record StreamOptions(boolean includeUsage, long estimatedPromptTokens, long createdEpochSeconds) {}
