package dev.ossaat.orchestrator.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docs/runbooks/provider-monitoring.md, split into what the tests check: headings and code blocks. */
final class Runbook {
  static final Path FILE = Chart.REPO.resolve("docs/runbooks/provider-monitoring.md");

  private Runbook() {}

  record CodeBlock(String language, String text, String section) {}

  static String text() {
    return Chart.read(FILE);
  }

  /** Fenced code blocks with their language and the heading they appear under. */
  static List<CodeBlock> codeBlocks() {
    List<CodeBlock> blocks = new ArrayList<>();
    String section = "";
    String language = null;
    StringBuilder body = null;
    for (String line : text().split("\n", -1)) {
      String trimmed = line.strip();
      if (body == null) {
        if (line.startsWith("#")) section = line.replaceFirst("^#+\\s*", "");
        if (trimmed.startsWith("```")) {
          language = trimmed.substring(3).strip();
          body = new StringBuilder();
        }
      } else if (trimmed.equals("```")) {
        blocks.add(new CodeBlock(language, stripCommonIndent(body.toString()), section));
        body = null;
      } else {
        body.append(line).append('\n');
      }
    }
    return blocks;
  }

  static List<CodeBlock> codeBlocks(String language) {
    return codeBlocks().stream().filter(b -> b.language().equals(language)).toList();
  }

  /** GitHub's anchors of every heading: lower case, punctuation dropped, spaces as hyphens. */
  static Set<String> anchors() {
    Set<String> anchors = new LinkedHashSet<>();
    boolean inCode = false;
    for (String line : text().split("\n")) {
      if (line.strip().startsWith("```")) inCode = !inCode;
      if (inCode || !line.startsWith("#")) continue;
      String heading = line.replaceFirst("^#+\\s*", "").strip();
      anchors.add(heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
    }
    return anchors;
  }

  /** Level-3 headings under "## <parent>". */
  static List<String> subHeadings(String parent) {
    List<String> out = new ArrayList<>();
    boolean inside = false;
    boolean inCode = false;
    for (String line : text().split("\n")) {
      if (line.strip().startsWith("```")) inCode = !inCode;
      if (inCode) continue;
      if (line.startsWith("## ")) inside = line.substring(3).strip().equals(parent);
      else if (inside && line.startsWith("### ")) out.add(line.substring(4).strip());
    }
    return out;
  }

  private static String stripCommonIndent(String block) {
    int indent = Integer.MAX_VALUE;
    for (String line : block.split("\n")) {
      if (line.isBlank()) continue;
      Matcher m = Pattern.compile("^ *").matcher(line);
      m.find();
      indent = Math.min(indent, m.end());
    }
    if (indent == Integer.MAX_VALUE || indent == 0) return block;
    StringBuilder out = new StringBuilder();
    for (String line : block.split("\n", -1)) {
      out.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
    }
    return out.toString().replaceAll("\n+$", "\n");
  }
}
