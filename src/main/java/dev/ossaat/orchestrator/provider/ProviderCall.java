package dev.ossaat.orchestrator.provider;

/**
 * One attempt against one provider. The provider applies its own timeouts (connect, first byte,
 * total, stream idle); the request's deadline is enforced by the caller, through the control.
 *
 * @param upstreamModel the model name to send (a provider that accepts any model substitutes its default)
 */
public record ProviderCall(ApiRequest request, String upstreamModel, CallControl control) {}
