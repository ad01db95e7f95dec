package dev.ossaat.orchestrator.telemetry;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The runbook's greps work on the log as written: the layout is read from the shipped logback.xml. */
class RequestLogTest {

  private static String shippedPattern() throws Exception {
    try (InputStream in = RequestLogTest.class.getClassLoader().getResourceAsStream("logback.xml")) {
      String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("<pattern>(.*?)</pattern>").matcher(xml);
      assertThat(m.find()).isTrue();
      return m.group(1);
    }
  }

  @Test
  void runbookGrepsFindProviderErrorsAndSortRequestsByTokens() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(shippedPattern());
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(captured);
    appender.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    try (TestGateway gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          alpha: {baseUrl: "${SIM:alpha}", apiKey: sk-log-secret-424242, model: sim-small}
          beta: {baseUrl: "${SIM:beta}", apiKeyRequired: false, model: sim-small}
        """)) {
      gw.simulate("beta", "{\"promptTokens\":500,\"completionTokens\":700}");
      gw.post("/v1/chat/completions", chat("sim-small"), "x-tenant-id", "acme");  // alpha: 30 tokens
      gw.simulate("alpha", "{\"fault\":\"error\",\"errorStatus\":502,\"faultCount\":1}");
      gw.post("/v1/chat/completions", chat("sim-small"), "x-tenant-id", "acme");  // alpha fails, beta: 1200 tokens
      await().atMost(Duration.ofSeconds(2)).until(() -> captured.toString(StandardCharsets.UTF_8).lines()
          .filter(l -> l.contains(" tokens ")).count() >= 2);
    } finally {
      root.detachAppender(appender);
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();

    // grep ERROR | grep alpha: the failed attempt, with its type.
    List<String> alphaErrors = lines.stream().filter(l -> l.contains("ERROR")).filter(l -> l.contains("alpha")).toList();
    assertThat(alphaErrors).hasSize(1);
    assertThat(alphaErrors.get(0)).contains("attempt alpha failed", "error_type=server_error", "http_status=502");

    // grep tokens | sort -k5 -n: field 5 is the total token count.
    List<String> usage = lines.stream().filter(l -> l.contains("tokens")).toList();
    assertThat(usage).hasSize(2);
    List<String> sorted = usage.stream().sorted(Comparator.comparingLong(l -> Long.parseLong(l.split("\\s+")[4]))).toList();
    assertThat(sorted.get(0).split("\\s+")).startsWith(Arrays.copyOf(sorted.get(0).split("\\s+"), 2))
        .contains("request", "alpha", "30", "tokens", "tenant=acme", "status=success");
    assertThat(sorted.get(1).split("\\s+")[3]).isEqualTo("beta");
    assertThat(sorted.get(1).split("\\s+")[4]).isEqualTo("1200");
    assertThat(sorted.get(1).split("\\s+")[1]).isEqualTo("INFO");
    assertThat(sorted.get(1).split("\\s+")[0]).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(String.join("\n", lines)).doesNotContain("sk-log-secret-424242");
  }
}
