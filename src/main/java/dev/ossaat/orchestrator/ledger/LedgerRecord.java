package dev.ossaat.orchestrator.ledger;

/**
 * One request as the ledger keeps it: one row of {@code usage_ledger}, one line of the spool. Built
 * once, when the request's usage is settled (before the last byte of its answer leaves).
 *
 * @param timeMillis when the request arrived (wall clock, epoch milliseconds)
 * @param keyId the gateway API key's id, or empty when identity was asserted by headers
 * @param route the front door: chat_completions, messages, embeddings, count_tokens
 * @param ingress the client's wire format: openai or anthropic
 * @param provider the provider that answered, {@code cache} for a cache hit, {@code none} when none did
 * @param model the model the client asked for
 * @param upstreamModel the model the provider ran (what it bills); null when no provider was involved
 * @param costUsd null when the model has no price (unpriced), never a made-up 0
 * @param estimated the token counts are our tokenizer's estimate (the provider reported none)
 * @param status success, error or cancelled
 * @param errorType the error_type label of a failure, else null
 */
public record LedgerRecord(String requestId, long timeMillis, String tenantId, String userId, String keyId, String route,
    String ingress, String provider, String model, String upstreamModel, long promptTokens, long completionTokens,
    long cacheReadTokens, long cacheWriteTokens, long reasoningTokens, Double costUsd, boolean estimated, String status,
    int httpStatus, String errorType, long latencyMs, boolean cacheHit, boolean stream, int attempts) {}
