package dev.ossaat.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PromQL checks: parsing through promtool, Grafana variable substitution, metric-name extraction. */
final class PromQl {
  private PromQl() {}

  private static final Set<String> KEYWORDS = Set.of(
      "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool",
      "and", "or", "unless", "inf", "nan", "atan2");
  // Possessive (*+) so that "rate(" can never match as "rat" followed by "e".
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");

  /**
   * Metric names an expression selects: every identifier that is not a function, keyword, label
   * name (inside {...}, by(...), on(...) ...), string or duration.
   */
  static Set<String> metricNames(String promql) {
    String s = promql
        .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
        .replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      if (!KEYWORDS.contains(m.group(1).toLowerCase())) names.add(m.group(1));
    }
    return names;
  }

  /**
   * Replaces Grafana's variables by values that keep the query valid PromQL: ranges by durations,
   * template variables (used in regex matchers) by ".*".
   */
  static String substituteGrafanaVariables(String expr) {
    String s = expr
        .replace("$__rate_interval", "5m")
        .replace("$__interval", "1m")
        .replace("$__range", "1h")
        .replaceAll("\\$\\{\\w+(:\\w+)?}", ".*")
        .replaceAll("\\$\\w+", ".*");
    assertThat(s).as("unsubstituted Grafana variable in %s", expr).doesNotContain("$");
    return s;
  }

  /**
   * Fails unless promtool parses every expression: they are written as recording rules (named by
   * the map's keys, which must be valid metric names) and checked with `promtool check rules`.
   */
  static void assertAllParse(Map<String, String> expressionsByName, Path workDir) {
    ObjectNode file = Chart.YAML.createObjectNode();
    ObjectNode group = file.putArray("groups").addObject();
    group.put("name", "expressions-under-test");
    ArrayNode rules = group.putArray("rules");
    expressionsByName.forEach((name, expr) -> rules.addObject().put("record", name).put("expr", expr));
    Path rulesFile = workDir.resolve("expressions.rules.yaml");
    write(rulesFile, file);
    Processes.Result result = Processes.run(workDir, null, Processes.promtool().toString(), "check", "rules", rulesFile.toString());
    assertThat(result.exitCode()).as("promtool check rules:%n%s%nexpressions:%n%s", result.output(), numbered(expressionsByName)).isZero();
  }

  static void write(Path file, Object yamlTree) {
    try {
      Files.writeString(file, Chart.YAML.writeValueAsString(yamlTree));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String numbered(Map<String, String> expressions) {
    StringBuilder out = new StringBuilder();
    new LinkedHashMap<>(expressions).forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
    return out.toString();
  }

  /** A valid recording-rule name derived from free text. */
  static String recordName(String... parts) {
    return String.join("_", parts).replaceAll("[^a-zA-Z0-9_]", "_");
  }
}
