package dev.ossaat.orchestrator.cache;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A deterministic cache key: SHA-256 of the request as canonical JSON (keys sorted at every level,
 * numbers normalised so 1 and 1.0 are the same), scoped by tenant so no tenant is ever answered with
 * another's response. Fields that do not change the answer ({@code stream}, {@code stream_options},
 * {@code user}, Anthropic's {@code metadata} with its user id) are left out. The tenant is the real
 * tenant id, length-prefixed, never its bounded metric label: two tenants a label cannot tell apart
 * ({@code acme corp} and {@code acme_corp}, or any two past the label cap) never share an entry.
 */
public final class CacheKey {
  private static final Set<String> IGNORED = Set.of("stream", "stream_options", "user", "metadata");

  private CacheKey() {}

  public static String of(String tenant, String operation, JsonNode body) {
    StringBuilder canonical = new StringBuilder(256);
    canonical.append(tenant.length()).append(':').append(tenant).append('\u0000').append(operation).append('\u0000');
    write(body, canonical, true);
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static void write(JsonNode node, StringBuilder out, boolean top) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      out.append('{');
      boolean first = true;
      for (String name : names) {
        if (top && IGNORED.contains(name)) continue;
        if (!first) out.append(',');
        first = false;
        quote(name, out);
        out.append(':');
        write(node.get(name), out, false);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) out.append(',');
        write(node.get(i), out, false);
      }
      out.append(']');
    } else if (node.isNumber()) {
      BigDecimal d = node.decimalValue().stripTrailingZeros();
      out.append(d.signum() == 0 ? "0" : d.toPlainString());
    } else if (node.isTextual()) {
      quote(node.textValue(), out);
    } else {
      out.append(node.toString()); // true, false, null
    }
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') out.append('\\');
      out.append(c);
    }
    out.append('"');
  }
}
