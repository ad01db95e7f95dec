package dev.ossaat.orchestrator.provider;

/**
 * One attempt against one provider.
 *
 * @param upstreamModel the model name to send (a provider that accepts any model substitutes its default)
 * @param timeoutMillis the provider's own timeout. For streams it bounds the wait for the first byte
 *     and every gap between chunks. The request's deadline is enforced by the caller, through the control.
 */
public record ProviderCall(ApiRequest request, String upstreamModel, long timeoutMillis, CallControl control) {}
