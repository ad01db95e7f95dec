package dev.ossaat.orchestrator.secrets;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes credentials from text before it reaches a log line, a metric, {@code /health/providers}
 * or an error message. Upstream errors like OpenAI's "Incorrect API key provided: sk-ab***" echo
 * parts of keys, so besides the configured secrets, key-shaped tokens are masked too.
 */
public final class Redactor {
  public static final String MASK = "[REDACTED]";
  private static final Pattern KEY_SHAPES = Pattern.compile(
      "(?i)(bearer\\s+)[^\\s\"',]+"
          + "|\\b(sk|pk|rk|sess|key)-[A-Za-z0-9_*\\-]{6,}"
          + "|\\bAIza[0-9A-Za-z_\\-]{10,}"
          + "|((?:api[_-]?key|x-api-key|access[_-]?token|secret)[\"']?\\s*[:=]\\s*[\"']?)[^\\s\"',}]+");
  private static final int MAX_MESSAGE = 300;

  private volatile List<String> secrets;

  public Redactor(List<String> secrets) {
    update(secrets);
  }

  /** Replaces the known secrets (credentials rotate; old values stay masked too, they may still echo). */
  public void update(List<String> current) {
    List<String> merged = new java.util.ArrayList<>(secrets == null ? List.of() : secrets);
    for (String s : current) {
      if (s != null && s.length() >= 4 && !merged.contains(s)) merged.add(s);
    }
    secrets = List.copyOf(merged);
  }

  public String redact(String text) {
    if (text == null) return null;
    String out = text;
    for (String secret : secrets) {
      if (out.contains(secret)) out = out.replace(secret, MASK);
    }
    out = KEY_SHAPES.matcher(out).replaceAll(m -> {
      String prefix = m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : "";
      return java.util.regex.Matcher.quoteReplacement(prefix + MASK);
    });
    out = out.replace('\n', ' ').replace('\r', ' ');
    return out.length() > MAX_MESSAGE ? out.substring(0, MAX_MESSAGE) + "..." : out;
  }
}
