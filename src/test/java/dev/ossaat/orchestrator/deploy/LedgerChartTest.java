package dev.ossaat.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart gives the usage ledger's spool a writable volume at ledger.spoolDir, only when the ledger is on. */
class LedgerChartTest {
  private static JsonNode pod(Chart.Rendered r) {
    return r.get("Deployment", "orchestrator").at("/spec/template/spec");
  }

  private static JsonNode mount(JsonNode pod, String name) {
    for (JsonNode m : pod.at("/containers/0/volumeMounts")) if (m.path("name").asText().equals(name)) return m;
    return null;
  }

  private static JsonNode volume(JsonNode pod, String name) {
    for (JsonNode v : pod.path("volumes")) if (v.path("name").asText().equals(name)) return v;
    return null;
  }

  @Test
  void noSpoolVolumeWhileTheLedgerIsOff() {
    JsonNode pod = pod(Chart.withDefaults());
    assertThat(mount(pod, "ledger-spool")).isNull();
    assertThat(volume(pod, "ledger-spool")).isNull();
  }

  @Test
  void theSpoolIsAnEmptyDirAtSpoolDirOrANamedClaim() {
    JsonNode pod = pod(Chart.render(List.of(), Map.of("orchestrator.ledger.enabled", true,
        "orchestrator.ledger.spoolDir", "/data/spool")));
    assertThat(mount(pod, "ledger-spool").path("mountPath").asText()).isEqualTo("/data/spool");
    assertThat(volume(pod, "ledger-spool").at("/emptyDir/sizeLimit").asText()).isEqualTo("2Gi");
    assertThat(Chart.render(List.of(), Map.of("orchestrator.ledger.enabled", true)).get("ConfigMap", "orchestrator-config")
        .at("/data/providers.json").asText()).contains("\"ledger\"");

    JsonNode claimed = pod(Chart.render(List.of(), Map.of("orchestrator.ledger.enabled", true,
        "ledgerSpool.persistentVolumeClaim", "spool-0")));
    assertThat(mount(claimed, "ledger-spool").path("mountPath").asText()).isEqualTo("/var/lib/orchestrator/ledger-spool");
    assertThat(volume(claimed, "ledger-spool").at("/persistentVolumeClaim/claimName").asText()).isEqualTo("spool-0");
  }
}
