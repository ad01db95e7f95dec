package dev.ossaat.orchestrator.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedLabelTest {
  @Test
  void keepsTheFirstValuesThenOverflowsToOther() {
    BoundedLabel label = new BoundedLabel(2, "default");
    assertThat(label.of("a")).isEqualTo("a");
    assertThat(label.of("b")).isEqualTo("b");
    assertThat(label.of("c")).isEqualTo("other");
    assertThat(label.of("a")).isEqualTo("a");
    assertThat(label.of(null)).isEqualTo("default");
    assertThat(label.of("  ")).isEqualTo("default");
  }

  @Test
  void sanitisesClientInput() {
    BoundedLabel label = new BoundedLabel(10, "default");
    assertThat(label.of("team a\"}\n")).isEqualTo("team_a__");
    assertThat(label.of("x".repeat(200))).hasSize(64);
  }
}
