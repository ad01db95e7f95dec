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
          + "|((?:api[_-]?key|x-api-key|access[_-]?token|secret)[\"']?\\s*[:=]\\s*[\"']?)[^\\s\"',}]+"
      // a key a provider echoes half-masked, whatever its prefix: "abcd****wxyz", "sk-ab***...yz"
      + "|[A-Za-z0-9_\\-]{2,}\\*{3,}[A-Za-z0-9_.\\-]*");
  private static final int MAX_MESSAGE = 300;

  private volatile List<String> secrets;

  public Redactor(List<String> secrets) {
    update(secrets);
  }

  /**
   * Replaces the known secrets (credentials rotate; old values stay masked too, they may still echo).
   * A long secret's first and last eight characters are masked on their own as well: providers echo
   * a key cut short ("Incorrect API key provided: abcdefgh...").
   */
  public void update(List<String> current) {
    List<String> merged = new java.util.ArrayList<>(secrets == null ? List.of() : secrets);
    for (String s : current) {
      if (s == null || s.length() < 4) continue;
      add(merged, s);
      if (s.length() >= 16) {
        add(merged, s.substring(0, 8));
        add(merged, s.substring(s.length() - 8));
      }
    }
    // Longest first, so a whole secret is masked before a part of it could split it.
    merged.sort((a, b) -> Integer.compare(b.length(), a.length()));
    secrets = List.copyOf(merged);
  }

  private static void add(List<String> into, String value) {
    if (!into.contains(value)) into.add(value);
  }

  /** A short single-line text (a message for a log line, a health field, an error): masked, one line, capped. */
  public String redact(String text) {
    if (text == null) return null;
    String out = mask(text).replace('\n', ' ').replace('\r', ' ');
    return out.length() > MAX_MESSAGE ? out.substring(0, MAX_MESSAGE) + "..." : out;
  }

  /**
   * A body passed on to a client (a provider's error answer): masked, otherwise unchanged, so its
   * JSON stays intact.
   */
  public String redactBody(String body) {
    return body == null ? null : mask(body);
  }

  private String mask(String text) {
    String out = text;
    for (String secret : secrets) {
      if (out.contains(secret)) out = out.replace(secret, MASK);
    }
    return KEY_SHAPES.matcher(out).replaceAll(m -> {
      String prefix = m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : "";
      return java.util.regex.Matcher.quoteReplacement(prefix + MASK);
    });
  }
}
