package dev.ossaat.orchestrator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders charts/oss-ai-agent-tool with the Helm embedded in helm-java (no helm binary needed) as
 * the runbook deploys it: release oss-ai-agent-tool in namespace oss-ai.
 */
final class Chart {
  static final Path REPO = Path.of("").toAbsolutePath();
  static final Path DIR = REPO.resolve("charts/oss-ai-agent-tool");
  static final String RELEASE = "oss-ai-agent-tool";
  static final String NAMESPACE = "oss-ai";
  /** The monitoring block of the runbook's "Enable Monitoring Components" step. */
  static final Path MONITORING_VALUES = REPO.resolve("src/test/resources/deploy/monitoring-values.yaml");

  static final YAMLMapper YAML = new YAMLMapper();
  static final ObjectMapper JSON = new ObjectMapper();

  // helm template costs about a second: renders are shared between tests by their inputs.
  private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

  private Chart() {}

  static Rendered withDefaults() {
    return render(List.of(), Map.of());
  }

  static Rendered withMonitoring() {
    return render(List.of(MONITORING_VALUES), Map.of());
  }

  static Rendered render(List<Path> valuesFiles, Map<String, Object> sets) {
    String key = valuesFiles + "|" + new java.util.TreeMap<>(sets);
    return CACHE.computeIfAbsent(key, k -> new Rendered(template(DIR, valuesFiles, sets)));
  }

  /** Runs helm template; throws with Helm's message when a template fails (e.g. a `fail` guard). */
  static String template(Path chartDir, List<Path> valuesFiles, Map<String, Object> sets) {
    TemplateCommand command = new Helm(chartDir).template().withName(RELEASE).withNamespace(NAMESPACE);
    for (Path values : valuesFiles) command = command.withValuesFile(values);
    for (Map.Entry<String, Object> set : sets.entrySet()) command = command.set(set.getKey(), set.getValue());
    return command.call();
  }

  /** The chart's values.yaml deep-merged with overrides, as Helm merges a --values file. */
  static ObjectNode mergedValues(Path overrides) {
    try {
      ObjectNode base = (ObjectNode) YAML.readTree(DIR.resolve("values.yaml").toFile());
      deepMerge(base, (ObjectNode) YAML.readTree(overrides.toFile()));
      return base;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deepMerge(ObjectNode target, ObjectNode source) {
    for (Map.Entry<String, JsonNode> e : source.properties()) {
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode existingObject && e.getValue() instanceof ObjectNode sourceObject) {
        deepMerge(existingObject, sourceObject);
      } else {
        target.set(e.getKey(), e.getValue());
      }
    }
  }

  static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The output of one helm template run, split into its Kubernetes objects. */
  static final class Rendered {
    final String yaml;
    final List<JsonNode> objects;

    Rendered(String yaml) {
      this.yaml = yaml;
      this.objects = parse(yaml);
    }

    private static List<JsonNode> parse(String yaml) {
      List<JsonNode> out = new ArrayList<>();
      try (var parser = new YAMLFactory().createParser(yaml)) {
        Iterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
        while (docs.hasNext()) {
          JsonNode doc = docs.next();
          if (doc != null && doc.isObject() && doc.size() > 0) out.add(doc);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("helm template output is not YAML", e);
      }
      return out;
    }

    Optional<JsonNode> find(String kind, String name) {
      return objects.stream()
          .filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.path("metadata").path("name").asText()))
          .findFirst();
    }

    JsonNode get(String kind, String name) {
      return find(kind, name).orElseThrow(() -> new AssertionError(
          "rendered chart has no " + kind + " " + name + "; it has " + kindsAndNames()));
    }

    List<JsonNode> ofKind(String kind) {
      return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    /** "Kind/name" of every object, e.g. Deployment/orchestrator. */
    List<String> kindsAndNames() {
      return objects.stream().map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText()).toList();
    }

    /** The one container of Deployment `name`. */
    JsonNode container(String deployment) {
      return get("Deployment", deployment).at("/spec/template/spec/containers/0");
    }

    Map<String, String> env(String deployment) {
      Map<String, String> env = new LinkedHashMap<>();
      container(deployment).path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
      return env;
    }
  }
}
