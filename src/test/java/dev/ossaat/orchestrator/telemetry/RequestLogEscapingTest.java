package dev.ossaat.orchestrator.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Client values in a log line: one field, one line, whatever characters they hold. */
class RequestLogEscapingTest {
  @Test
  void plainTokensStayAsTheyAre() {
    assertThat(RequestLog.field("acme-corp_1.eu/team@x:y")).isEqualTo("acme-corp_1.eu/team@x:y");
  }

  @Test
  void anythingElseIsQuotedWithEveryLineBreakAndControlEscaped() {
    assertThat(RequestLog.field("acme corp")).isEqualTo("\"acme corp\"");
    assertThat(RequestLog.field("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    String nasty = "x\ny\rz\tw\u0085v\u009bu\u2028t\u2029s\u0007";
    String out = RequestLog.field(nasty);
    assertThat(out).doesNotContain("\n", "\r", "\t", "\u0085", "\u009b", "\u2028", "\u2029", "\u0007");
    assertThat(out).isEqualTo("\"x\\ny\\rz\\tw\\u0085v\\u009bu\\u2028t\\u2029s\\u0007\"");
  }

  @Test
  void longValuesAreCutWithoutSplittingACharacter() {
    String value = "a".repeat(127) + "\uD83D\uDE00" + "tail"; // an emoji across the 128th character
    String out = RequestLog.field(value);
    assertThat(out).doesNotContain("\uD83D").isEqualTo("a".repeat(127) + "...");
  }
}
