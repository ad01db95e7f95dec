package dev.ossaat.orchestrator.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed Prometheus text exposition, for asserting exact metric values. */
public final class Metrics {
  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private Metrics(List<Sample> samples) {
    this.samples = samples;
  }

  public static Metrics parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        int end = line.lastIndexOf('}');
        parseLabels(line.substring(brace + 1, end), labels);
      } else {
        name = line.substring(0, space);
      }
      String value = line.substring(space + 1);
      out.add(new Sample(name, labels, Double.parseDouble(value)));
    }
    return new Metrics(out);
  }

  private static void parseLabels(String body, Map<String, String> labels) {
    int i = 0;
    while (i < body.length()) {
      int eq = body.indexOf('=', i);
      String key = body.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2; // skip ="
      while (body.charAt(j) != '"') {
        if (body.charAt(j) == '\\') j++;
        value.append(body.charAt(j));
        j++;
      }
      labels.put(key, value.toString());
      i = j + 1;
      if (i < body.length() && body.charAt(i) == ',') i++;
    }
  }

  /** Sum of the samples of {@code name} whose labels include all of {@code match} (k1, v1, k2, v2...). */
  public double sum(String name, String... match) {
    double total = 0;
    for (Sample s : samples) {
      if (!s.name().equals(name)) continue;
      boolean ok = true;
      for (int i = 0; i < match.length; i += 2) {
        if (!match[i + 1].equals(s.labels().get(match[i]))) {
          ok = false;
          break;
        }
      }
      if (ok) total += s.value();
    }
    return total;
  }

  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  public List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }
}
