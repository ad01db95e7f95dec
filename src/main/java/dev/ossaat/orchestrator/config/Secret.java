package dev.ossaat.orchestrator.config;

/**
 * A credential. Its {@code toString} never reveals the value, so a config record printed in a log
 * line or an exception message cannot leak it.
 */
public final class Secret {
  private static final Secret NONE = new Secret("");
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return value == null || value.isBlank() ? NONE : new Secret(value.trim());
  }

  public static Secret none() {
    return NONE;
  }

  public boolean isPresent() {
    return !value.isEmpty();
  }

  /** The raw value, for the one place that puts it on the wire: the upstream request header. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return isPresent() ? "[REDACTED]" : "[none]";
  }
}
