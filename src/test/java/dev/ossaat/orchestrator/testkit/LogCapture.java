package dev.ossaat.orchestrator.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/** Captures the log as operators see it: formatted with the pattern of the shipped logback.xml. */
public final class LogCapture implements AutoCloseable {
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
  private final Logger root;

  public LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(shippedPattern());
    encoder.start();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(captured);
    appender.start();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
  }

  public static String shippedPattern() {
    try (InputStream in = LogCapture.class.getClassLoader().getResourceAsStream("logback.xml")) {
      String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("<pattern>(.*?)</pattern>").matcher(xml);
      if (!m.find()) throw new IllegalStateException("no pattern in logback.xml");
      return m.group(1);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public synchronized List<String> lines() {
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** Lines containing every one of the given strings, like a chain of greps. */
  public List<String> grep(String... words) {
    return lines().stream().filter(l -> java.util.Arrays.stream(words).allMatch(l::contains)).toList();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
  }
}
