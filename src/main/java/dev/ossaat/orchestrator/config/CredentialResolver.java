package dev.ossaat.orchestrator.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Finds a provider's credential when the config does not spell it out: the environment variable
 * {@code <NAME>_API_KEY} (as the runbook's {@code OPENAI_API_KEY}), else a file of that name in the
 * secrets directory (the Kubernetes Secret {@code orchestrator-secrets} mounted as a volume).
 */
public final class CredentialResolver {
  private final Map<String, String> env;
  private final Path secretsDir;

  public CredentialResolver(Map<String, String> env, Path secretsDir) {
    this.env = env;
    this.secretsDir = secretsDir;
  }

  public static String variableName(String providerName) {
    return providerName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_API_KEY";
  }

  public Secret resolve(String providerName) {
    return resolveVariable(variableName(providerName));
  }

  /** A credential by its variable name: the environment first, then the secrets directory. */
  public Secret resolveVariable(String variable) {
    Secret fromEnv = Secret.of(env.get(variable));
    if (fromEnv.isPresent()) return fromEnv;
    Path file = secretsDir.resolve(variable);
    if (Files.isRegularFile(file) && Files.isReadable(file)) {
      try {
        return Secret.of(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new ConfigException(file.toString(), "secret file cannot be read: " + e.getClass().getSimpleName());
      }
    }
    return Secret.none();
  }
}
