package dev.ossaat.orchestrator.config;

import java.util.Map;

/**
 * What a provider of type azure needs beyond a base URL: the API version, which names the URL form
 * ({@value #V1} is the version-less {@code /openai/v1/...} API; a date such as 2024-10-21 the
 * {@code /openai/deployments/<deployment>/...?api-version=} one), the deployment serving each model
 * (a model without one is sent to a deployment of its own name), and how the credential is sent.
 *
 * @param bearer send the credential as {@code Authorization: Bearer} (a Microsoft Entra ID token)
 *     instead of the {@code api-key} header
 */
public record AzureSettings(String apiVersion, Map<String, String> deployments, boolean bearer) {
  public static final String V1 = "v1";
  public static final String DEFAULT_API_VERSION = "2024-10-21";

  public AzureSettings {
    deployments = Map.copyOf(deployments);
  }

  public boolean v1() {
    return V1.equals(apiVersion);
  }

  /** The deployment that serves {@code model}: the configured one, else the model's own name. */
  public String deployment(String model) {
    return deployments.getOrDefault(model, model);
  }
}
