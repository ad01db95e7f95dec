package dev.ossaat.orchestrator.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The byte scan that finds a whole answer's usage: only a top-level member counts, whatever the text holds. */
class JsonTopLevelFieldTest {
  private static String usageOf(String json) {
    var node = Json.topLevelField(Buffer.buffer(json), "usage");
    return node == null ? null : node.toString();
  }

  @Test
  void findsTheTopLevelMemberWhereverItIs() {
    assertThat(usageOf("{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":3}}"))
        .isEqualTo("{\"prompt_tokens\":3}");
    assertThat(usageOf(" \n{ \"usage\" : {\"total_tokens\":1} , \"id\":\"x\"}")).isEqualTo("{\"total_tokens\":1}");
    assertThat(usageOf("{\"usage\":null}")).isEqualTo("null");
  }

  @Test
  void ignoresNestedMembersStringValuesAndTextThatLooksLikeAKey() {
    // Nested under choices, a string value, and a model's text with escaped quotes and brackets.
    String json = "{\"choices\":[{\"usage\":{\"prompt_tokens\":99},\"message\":{\"content\":"
        + "\"say \\\"usage\\\": {\\\"prompt_tokens\\\": 7} ] } \\\\\"}}],\"kind\":\"usage\",\"usage\":{\"prompt_tokens\":5}}";
    assertThat(usageOf(json)).isEqualTo("{\"prompt_tokens\":5}");
    assertThat(usageOf("{\"choices\":[{\"usage\":{\"prompt_tokens\":99}}]}")).isNull();
  }

  @Test
  void noObjectNoField() {
    assertThat(usageOf("[{\"usage\":{}}]")).isNull();
    assertThat(usageOf("")).isNull();
    assertThat(usageOf("not json")).isNull();
    assertThat(usageOf("{\"usage\"")).isNull();
    assertThat(usageOf("{\"a\":\"unterminated")).isNull();
    assertThat(usageOf("{\"a\":1}")).isNull();
  }
}
