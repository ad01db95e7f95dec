package dev.ossaat.orchestrator.provider;

import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.exchange.ClientRequest;

/**
 * One attempt against one provider. The provider applies its own timeouts (connect, first byte,
 * total, stream idle); the request's deadline is enforced by the caller, through the control.
 *
 * @param upstreamModel the model name to send (a provider that accepts any model substitutes its default)
 * @param config the provider's settings as of this request (timeouts, output-token default): a
 *     reload may change them while the adapter and its connection pool stay
 */
public record ProviderCall(ClientRequest request, String upstreamModel, ProviderConfig config, CallControl control) {}
