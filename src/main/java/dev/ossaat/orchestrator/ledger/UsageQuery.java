package dev.ossaat.orchestrator.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Totals over {@code usage_ledger} for {@code GET /v1/usage}: straight SQL sums of the rows, so the
 * answer is the ledger's numbers, not a second count. Grouping columns come from a fixed list; every
 * value the client sends is a bound parameter.
 */
public final class UsageQuery {
  /** The group_by names and the SQL each stands for. */
  static final Map<String, String> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("tenant", "tenant_id");
    GROUPS.put("user", "user_id");
    GROUPS.put("model", "model");
    GROUPS.put("upstream_model", "upstream_model");
    GROUPS.put("provider", "provider");
    GROUPS.put("key", "key_id");
    GROUPS.put("day", "to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD')");
  }

  public static final List<String> DEFAULT_GROUPS = List.of("tenant", "user", "model", "day");

  private static final String SUMS = "count(*) AS requests,"
      + " count(*) FILTER (WHERE status = 'error') AS errors,"
      + " coalesce(sum(prompt_tokens), 0) AS prompt_tokens,"
      + " coalesce(sum(completion_tokens), 0) AS completion_tokens,"
      + " coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens,"
      + " coalesce(sum(cache_write_tokens), 0) AS cache_write_tokens,"
      + " coalesce(sum(reasoning_tokens), 0) AS reasoning_tokens,"
      + " coalesce(sum(cost_usd), 0) AS cost_usd,"
      + " count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced_requests,"
      + " count(*) FILTER (WHERE estimated) AS estimated_requests,"
      + " count(*) FILTER (WHERE cache_hit) AS cache_hits";

  /** A validated request: [from, to), optional filters, the grouping. */
  public record Params(Instant from, Instant to, Optional<String> tenant, Optional<String> user, Optional<String> model,
      List<String> groupBy) {}

  private final Pool pool;

  UsageQuery(Pool pool) {
    this.pool = pool;
  }

  /**
   * Parses the query parameters. {@code from} and {@code to} are dates ({@code 2026-12-01}, UTC; a
   * {@code to} date includes that whole day) or instants ({@code 2026-12-01T10:00:00Z}, {@code to}
   * exclusive); by default the last 30 days up to now. {@code group_by} is a comma list of
   * tenant, user, model, upstream_model, provider, key, day, or {@code none} for one grand total.
   *
   * @throws IllegalArgumentException with a message for the client
   */
  public static Params parse(String from, String to, String tenant, String user, String model, String groupBy, Instant now) {
    Instant end = blank(to) ? now.plusSeconds(1) : instant("to", to, true);
    Instant start = blank(from) ? end.minus(java.time.Duration.ofDays(30)) : instant("from", from, false);
    if (!start.isBefore(end)) throw new IllegalArgumentException("'from' must be before 'to'");
    List<String> groups = new ArrayList<>();
    if (blank(groupBy)) {
      groups.addAll(DEFAULT_GROUPS);
    } else if (!groupBy.trim().equals("none")) {
      for (String g : groupBy.split(",")) {
        String name = g.trim();
        if (!GROUPS.containsKey(name)) {
          throw new IllegalArgumentException("unknown group_by '" + name + "' (known: " + String.join(", ", GROUPS.keySet())
              + ", or none)");
        }
        if (!groups.contains(name)) groups.add(name);
      }
    }
    return new Params(start, end, optional(tenant), optional(user), optional(model), groups);
  }

  /** Runs the query; the answer is JSON: one entry per group, and the grand total. */
  public Future<ObjectNode> run(Params p) {
    StringBuilder where = new StringBuilder(" FROM usage_ledger WHERE ts >= $1 AND ts < $2");
    Tuple args = Tuple.of(utc(p.from()), utc(p.to()));
    int n = 3;
    if (p.tenant().isPresent()) {
      where.append(" AND tenant_id = $").append(n++);
      args.addString(p.tenant().get());
    }
    if (p.user().isPresent()) {
      where.append(" AND user_id = $").append(n++);
      args.addString(p.user().get());
    }
    if (p.model().isPresent()) {
      where.append(" AND model = $").append(n++);
      args.addString(p.model().get());
    }
    List<String> cols = p.groupBy().stream().map(GROUPS::get).toList();
    String select = cols.isEmpty() ? "" : String.join(", ", cols) + ", ";
    String grouped = cols.isEmpty() ? "" : " GROUP BY " + String.join(", ", cols) + " ORDER BY " + String.join(", ", cols);
    String groupsSql = "SELECT " + select + SUMS + where + grouped;
    String totalSql = "SELECT " + SUMS + where;
    return pool.preparedQuery(groupsSql).execute(args).compose(rows -> pool.preparedQuery(totalSql).execute(args).map(total -> {
      JsonNodeFactory f = JsonNodeFactory.instance;
      ObjectNode out = f.objectNode();
      out.put("object", "usage");
      out.put("from", p.from().toString());
      out.put("to", p.to().toString());
      p.tenant().ifPresent(t -> out.put("tenant", t));
      p.user().ifPresent(u -> out.put("user", u));
      p.model().ifPresent(m -> out.put("model", m));
      var groupArray = out.putArray("group_by");
      p.groupBy().forEach(groupArray::add);
      var data = out.putArray("data");
      for (Row r : rows) {
        ObjectNode entry = data.addObject();
        for (int i = 0; i < cols.size(); i++) entry.put(p.groupBy().get(i), r.getString(i));
        sums(r, entry);
      }
      ObjectNode totals = out.putObject("total");
      sums(total.iterator().next(), totals);
      return out;
    }));
  }

  private static void sums(Row r, ObjectNode into) {
    into.put("requests", r.getLong("requests"));
    into.put("errors", r.getLong("errors"));
    long prompt = r.getLong("prompt_tokens");
    long completion = r.getLong("completion_tokens");
    into.put("prompt_tokens", prompt);
    into.put("completion_tokens", completion);
    into.put("total_tokens", prompt + completion);
    into.put("cache_read_tokens", r.getLong("cache_read_tokens"));
    into.put("cache_write_tokens", r.getLong("cache_write_tokens"));
    into.put("reasoning_tokens", r.getLong("reasoning_tokens"));
    Numeric cost = (Numeric) r.getValue("cost_usd");
    into.put("cost_usd", cost == null ? java.math.BigDecimal.ZERO : cost.bigDecimalValue().stripTrailingZeros());
    into.put("unpriced_requests", r.getLong("unpriced_requests"));
    into.put("estimated_requests", r.getLong("estimated_requests"));
    into.put("cache_hits", r.getLong("cache_hits"));
  }

  private static Instant instant(String name, String text, boolean endOfDay) {
    String t = text.trim();
    try {
      if (t.length() == 10) {
        LocalDate d = LocalDate.parse(t);
        return (endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(t).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("'" + name + "' must be a date (2026-12-01) or an instant (2026-12-01T10:00:00Z), got '"
          + t + "'");
    }
  }

  private static OffsetDateTime utc(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static Optional<String> optional(String s) {
    return blank(s) ? Optional.empty() : Optional.of(s.trim());
  }
}
