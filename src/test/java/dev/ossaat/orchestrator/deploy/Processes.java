package dev.ossaat.orchestrator.deploy;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external tools of these tests. A missing tool FAILS the test (it never skips): CI
 * installs them with .ci/setup-monitoring.sh, and a green run without them would prove nothing.
 */
final class Processes {
  private Processes() {}

  record Result(int exitCode, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  /** Absolute path of an executable on PATH, or a test failure naming the setup script. */
  static Path require(String executable) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, executable);
      if (Files.isExecutable(candidate)) return candidate;
    }
    return fail(executable + " is not installed: run .ci/setup-monitoring.sh (it installs promtool, prometheus and deploy/node_modules)");
  }

  static Path promtool() {
    return require("promtool");
  }

  /** deploy/, with its npm dependencies installed by `npm ci`. */
  static Path deployDir() {
    Path dir = Chart.REPO.resolve("deploy");
    if (!Files.isDirectory(dir.resolve("node_modules/kubernetes-models"))
        || !Files.isDirectory(dir.resolve("node_modules/@kubernetes-models/prometheus-operator"))) {
      fail("deploy/node_modules is missing kubernetes-models: run .ci/setup-monitoring.sh (npm ci in deploy/)");
    }
    return dir;
  }

  static Result run(Path workDir, String stdin, String... command) {
    List<String> cmd = new ArrayList<>(List.of(command));
    try {
      Process process = new ProcessBuilder(cmd).directory(workDir.toFile()).start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      try (var in = process.getOutputStream()) {
        if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      if (!process.waitFor(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return fail("timed out: " + String.join(" ", cmd));
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String readAll(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
