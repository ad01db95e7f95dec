package dev.ossaat.orchestrator.telemetry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a client-controlled label (tenant, user, model) from growing without bound: the first
 * {@code max} distinct values are kept, later new ones are reported as {@value #OVERFLOW}. Values are
 * also trimmed to a safe alphabet and length, since a label value is client input.
 */
public final class BoundedLabel {
  public static final String OVERFLOW = "other";
  private static final int MAX_LENGTH = 64;

  private final int max;
  private final String empty;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  public BoundedLabel(int max, String empty) {
    this.max = max;
    this.empty = empty;
  }

  public String of(String raw) {
    if (raw == null || raw.isBlank()) return empty;
    String value = sanitize(raw);
    if (seen.contains(value)) return value;
    if (seen.size() >= max) return OVERFLOW;
    seen.add(value);
    // Two threads can both pass the size check; the overshoot is at most the number of event loops.
    return value;
  }

  private static String sanitize(String raw) {
    String trimmed = raw.strip();
    StringBuilder out = new StringBuilder(Math.min(trimmed.length(), MAX_LENGTH));
    for (int i = 0; i < trimmed.length() && out.length() < MAX_LENGTH; i++) {
      char c = trimmed.charAt(i);
      boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == ':' || c == '/' || c == '@';
      out.append(safe ? c : '_');
    }
    return out.toString();
  }
}
