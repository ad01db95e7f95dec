package dev.ossaat.orchestrator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Grafana dashboards of the chart (charts/oss-ai-agent-tool/dashboards/*.json), the only copy. */
final class Dashboards {
  static final Path DIR = Chart.DIR.resolve("dashboards");

  private Dashboards() {}

  record Dashboard(String file, JsonNode json) {
    String uid() {
      return json.path("uid").asText();
    }

    /** Every panel that is not a row, including panels nested in collapsed rows. */
    List<JsonNode> panels() {
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode p : json.path("panels")) {
        if ("row".equals(p.path("type").asText())) {
          p.path("panels").forEach(out::add);
        } else {
          out.add(p);
        }
      }
      return out;
    }

    List<Query> queries() {
      List<Query> out = new ArrayList<>();
      for (JsonNode panel : panels()) {
        for (JsonNode target : panel.path("targets")) {
          out.add(new Query(this, panel.path("id").asInt(), panel.path("title").asText(),
              target.path("refId").asText(), target.path("expr").asText()));
        }
      }
      return out;
    }

    JsonNode variable(String name) {
      for (JsonNode v : json.path("templating").path("list")) {
        if (name.equals(v.path("name").asText())) return v;
      }
      return null;
    }
  }

  /** One PromQL target of one panel. */
  record Query(Dashboard dashboard, int panelId, String panelTitle, String refId, String expr) {
    String where() {
      return dashboard.file() + " panel " + panelId + " \"" + panelTitle + "\" target " + refId;
    }
  }

  static List<Dashboard> all() {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted()
          .map(f -> new Dashboard(f.getFileName().toString(), readJson(f))).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Query> allQueries() {
    return all().stream().flatMap(d -> d.queries().stream()).toList();
  }

  private static JsonNode readJson(Path file) {
    try {
      return Chart.JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + file, e);
    }
  }
}
