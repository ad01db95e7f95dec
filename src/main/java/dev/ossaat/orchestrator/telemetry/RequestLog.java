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
        .append(" model=").append(r.model())
        .append(" tenant=").append(r.identity().tenantId())
        .append(" user=").append(r.identity().userId())
        .append(" status=").append(r.status())
        .append(" prompt=").append(r.usage().promptTokens())
        .append(" completion=").append(r.usage().completionTokens())
        .append(" estimated=").append(r.usage().estimated())
        .append(" cost_usd=").append(r.cost().map(c -> String.format(Locale.ROOT, "%.6f", c)).orElse("unpriced"))
        .append(" latency_ms=").append(r.latencyMs())
        .append(" operation=").append(r.operation())
        .append(" stream=").append(r.stream())
        .append(" attempts=").append(r.attempts())
        .append(" cache=").append(r.cacheHit() ? "hit" : "miss")
        .append(" http_status=").append(r.httpStatus())
        .append(" id=").append(r.requestId());
    if (r.errorType() != null) {
      line.append(" error_type=").append(r.errorType().label()).append(" message=\"").append(r.message()).append('"');
    }
    if ("error".equals(r.status())) {
      LOG.error(line.toString());
    } else {
      LOG.info(line.toString());
    }
  }

  /** One failed provider attempt, whether or not a fallback then served the request. */
  public static void attemptFailed(ProviderException e, String model, String requestId, String next) {
    LOG.error("attempt {} failed error_type={} http_status={} model={} id={} next={} message=\"{}\"",
        e.provider(), e.type().label(), e.upstreamStatus(), model, requestId, next == null ? "none" : next,
        e.getMessage());
  }
}
