package dev.ossaat.orchestrator.telemetry;

import dev.ossaat.orchestrator.provider.ProviderException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The structured log lines operators grep. The layout is a contract with the runbook:
 * <pre>
 * &lt;ts&gt; INFO request &lt;provider&gt; &lt;total&gt; tokens model=... tenant=... user=... status=...
 * &lt;ts&gt; ERROR attempt &lt;provider&gt; failed error_type=... http_status=... message="..."
 * </pre>
 * so {@code grep ERROR | grep <provider>} finds a provider's failures and {@code grep tokens | sort
 * -k5 -n} sorts requests by total tokens (field 5). Keep the word "tokens" out of other lines.
 */
public final class RequestLog {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.request");

  private RequestLog() {}

  public static void request(RequestRecord r) {
    StringBuilder line = new StringBuilder(256)
        .append("request ").append(r.provider()).append(' ').append(r.usage().totalTokens()).append(" tokens")
        .append(" model=").append(field(r.model()))
        .append(" tenant=").append(field(r.caller().tenantId()))
        .append(" user=").append(field(r.caller().userId()))
        .append(r.caller().keyId().isEmpty() ? "" : " key=" + field(r.caller().keyId()))
        .append(" status=").append(r.status())
        .append(" prompt=").append(r.usage().promptTokens())
        .append(" completion=").append(r.usage().completionTokens())
        .append(" cache_read=").append(r.usage().cacheReadTokens())
        .append(" cache_write=").append(r.usage().cacheWriteTokens())
        .append(" reasoning=").append(r.usage().reasoningTokens())
        .append(" estimated=").append(r.usage().estimated())
        .append(" cost_usd=").append(r.cost().map(RequestLog::dollars).orElse("unpriced"))
        .append(" latency_ms=").append(r.latencyMs())
        .append(" operation=").append(r.operation())
        .append(" stream=").append(r.stream())
        .append(" attempts=").append(r.attempts())
        .append(" cache=").append(r.cacheHit() ? "hit" : "miss")
        .append(" http_status=").append(r.httpStatus())
        .append(" id=").append(r.requestId());
    if (r.errorType() != null) {
      line.append(" error_type=").append(r.errorType().label()).append(" message=").append(quoted(r.message()));
    }
    // A failure of ours or a provider's is an ERROR; a client's own mistake (4xx) a WARN: it is not
    // something to page about, and `grep ERROR` finds what is.
    if ("error".equals(r.status()) && (r.httpStatus() >= 500 || r.httpStatus() < 400)) {
      LOG.error(line.toString());
    } else if ("error".equals(r.status())) {
      LOG.warn(line.toString());
    } else {
      LOG.info(line.toString());
    }
  }

  /**
   * Dollars with six decimals, as {@code %.6f} prints them. Not {@code String.format}: it parses its
   * format on every call, and this runs once per request.
   */
  static String dollars(double usd) {
    if (!Double.isFinite(usd) || Math.abs(usd) >= 1e12) return String.format(Locale.ROOT, "%.6f", usd);
    long micros = Math.round(Math.abs(usd) * 1_000_000d);
    StringBuilder b = new StringBuilder(16);
    if (usd < 0 && micros != 0) b.append('-');
    b.append(micros / 1_000_000).append('.');
    String frac = Long.toString(micros % 1_000_000);
    for (int i = frac.length(); i < 6; i++) b.append('0');
    return b.append(frac).toString();
  }

  private static final int MAX_FIELD = 128;

  /**
   * A client-supplied value as one field: as is when it is a plain token, otherwise quoted with
   * escapes, so no value can add a field, break the line or shift {@code sort -k5}; capped in length.
   */
  static String field(String value) {
    if (value == null) return "-";
    int cut = MAX_FIELD;
    if (value.length() > cut && Character.isHighSurrogate(value.charAt(cut - 1))) cut--; // never half a character
    String v = value.length() > MAX_FIELD ? value.substring(0, cut) + "..." : value;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == ':' || c == '/' || c == '@';
      if (!plain) return quoted(v);
    }
    return v.isEmpty() ? "\"\"" : v;
  }

  /** A double-quoted value with quotes, backslashes and control characters escaped. */
  static String quoted(String value) {
    if (value == null) return "\"\"";
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          // C0 and C1 controls, and the Unicode line and paragraph separators, which some log
          // shippers and terminals treat as line breaks or escape sequences.
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** One failed provider attempt, whether or not a fallback then served the request. */
  public static void attemptFailed(ProviderException e, String model, String requestId, String next) {
    LOG.error("attempt {} failed error_type={} http_status={} model={} id={} next={} message={}",
        e.provider(), e.type().label(), e.upstreamStatus(), field(model), requestId, next == null ? "none" : next,
        quoted(e.getMessage()));
  }
}
