package dev.ossaat.orchestrator.usage;

import dev.ossaat.orchestrator.exchange.ClientRequest;

/**
 * Our token counts for when a provider reports none: the prompt of a client request (whatever its
 * format) and generated text. Estimates only, always marked so; billing uses the provider's numbers
 * whenever there are any.
 */
public final class UsageEstimates {
  private final TokenEstimator estimator;

  public UsageEstimates(TokenEstimator estimator) {
    this.estimator = estimator;
  }

  /** The prompt, counted for the model the client asked for. */
  public long prompt(ClientRequest request) {
    return prompt(request, request.model());
  }

  /** The prompt, counted with the tokenizer of the model that ran it. */
  public long prompt(ClientRequest request, String model) {
    return estimator.countPrompt(model == null ? request.model() : model, request.body());
  }

  public long text(String model, CharSequence text) {
    return estimator.countText(model, text);
  }
}
