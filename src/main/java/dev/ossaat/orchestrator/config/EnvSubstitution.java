package dev.ossaat.orchestrator.config;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in raw config text before it is parsed, so the
 * runbook's {@code apiKey: ${NEW_PROVIDER_API_KEY}} works as written. An unset variable without a
 * default becomes the empty string: a missing credential then shows up as "not configured" in
 * {@code /health/providers} instead of stopping the whole gateway.
 */
public final class EnvSubstitution {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final Function<String, String> env;

  public EnvSubstitution(Function<String, String> env) {
    this.env = env;
  }

  public static EnvSubstitution of(Map<String, String> env) {
    return new EnvSubstitution(env::get);
  }

  public String apply(String text) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String value = env.apply(m.group(1));
      if (value == null || value.isEmpty()) {
        value = m.group(2) == null ? "" : m.group(2);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
