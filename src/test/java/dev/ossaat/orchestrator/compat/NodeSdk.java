package dev.ossaat.orchestrator.compat;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one case of a Node client script in compat/ (a real npm SDK calling the gateway over HTTP) and
 * returns the one JSON line it prints. The scripts only call and report; the tests assert.
 *
 * <p>A missing node or compat/node_modules FAILS the test, never skips it: CI installs them with
 * .ci/setup-compat.sh, and a green run without them would prove nothing.
 */
final class NodeSdk {
  static final Path COMPAT = Path.of("").toAbsolutePath().resolve("compat");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 60;

  private NodeSdk() {}

  /** The npm packages each script needs, as directories under compat/node_modules. */
  static void requirePackages(String... packages) {
    for (String p : packages) {
      if (!Files.isRegularFile(COMPAT.resolve("node_modules").resolve(p).resolve("package.json"))) {
        fail("compat/node_modules/" + p + " is missing: run .ci/setup-compat.sh (it runs `npm ci` in compat/)");
      }
    }
  }

  static Path node() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "node");
      if (Files.isExecutable(candidate)) return candidate;
    }
    return fail("node is not installed: run .ci/setup-compat.sh (Node.js 20 and `npm ci` in compat/)");
  }

  /**
   * {@code node <script> <baseUrl> <caseName> <model>} in compat/; the script's last stdout line, parsed.
   * A non-zero exit or a line that is not JSON fails the test with everything the script printed.
   */
  static JsonNode run(String script, String baseUrl, String caseName, String model) {
    List<String> cmd = new ArrayList<>(List.of(node().toString(), script, baseUrl, caseName, model));
    try {
      Process process = new ProcessBuilder(cmd).directory(COMPAT.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
      process.getOutputStream().close();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return fail("timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", cmd));
      }
      String stdout = out.join();
      String stderr = err.join();
      String printed = "exit " + process.exitValue() + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
      if (process.exitValue() != 0) return fail(script + " " + caseName + " failed: " + printed);
      List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
      if (lines.isEmpty()) return fail(script + " " + caseName + " printed nothing: " + printed);
      try {
        return JSON.readTree(lines.get(lines.size() - 1));
      } catch (IOException e) {
        return fail(script + " " + caseName + " did not end with a JSON line: " + printed);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String readAll(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
