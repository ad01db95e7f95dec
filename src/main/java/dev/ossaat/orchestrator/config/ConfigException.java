package dev.ossaat.orchestrator.config;

/** An invalid configuration: the message always names the offending key and the problem. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
  }

  public ConfigException(String message) {
    super(message);
  }
}
