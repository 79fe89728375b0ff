package dev.tenancy.benchmarks.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The headline figures of one scenario run, printed as a table and written as {@code <scenario>-summary.csv} with the
 * columns {@code metric,value,unit,target,verdict} that {@code benchmarks/run-all} reads. A verdict is {@code PASS}
 * when a stated target is met, {@code FAIL} when it is missed by more than 20 %, otherwise {@code INFO} (no target, or
 * missed within the tolerance, which the table spells out).
 */
final class Summary {

  /** The tolerance of issue 12: a target missed by more than this fraction is a regression. */
  static final double TOLERANCE = 0.20;

  /** One line of the summary. */
  record Row(String metric, double value, String unit, String target, String verdict, String note) {
  }

  private final String scenario;
  private final List<Row> rows = new ArrayList<>();

  Summary(String scenario) {
    this.scenario = scenario;
  }

  /** A figure without a target. */
  void info(String metric, double value, String unit) {
    rows.add(new Row(metric, value, unit, "", "INFO", ""));
  }

  /** A figure that should be at most {@code target}; FAIL beyond {@code target × 1.2}. */
  void atMost(String metric, double value, String unit, double target) {
    String verdict;
    String note = "";
    if (value <= target) {
      verdict = "PASS";
    } else if (value <= target * (1 + TOLERANCE)) {
      verdict = "INFO";
      note = "missed, within 20 %";
    } else {
      verdict = "FAIL";
    }
    rows.add(new Row(metric, value, unit, "<= " + format(target), verdict, note));
  }

  /** A count that must equal {@code expected} exactly (quota accounting, throttling of quiet tenants). */
  void exactly(String metric, double value, String unit, double expected) {
    rows.add(new Row(metric, value, unit, "= " + format(expected), value == expected ? "PASS" : "FAIL", ""));
  }

  /** A count that must be above zero (the noisy tenant is throttled). */
  void positive(String metric, double value, String unit) {
    rows.add(new Row(metric, value, unit, "> 0", value > 0 ? "PASS" : "FAIL", ""));
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  /** Prints the table. */
  void print(PrintStream out) {
    out.printf(Locale.ROOT, "%n== %s: summary ==%n", scenario);
    out.printf(Locale.ROOT, "%-48s %12s %-8s %-12s %s%n", "metric", "value", "unit", "target", "verdict");
    for (Row row : rows) {
      out.printf(Locale.ROOT, "%-48s %12s %-8s %-12s %s%s%n", row.metric(), format(row.value()), row.unit(),
          row.target(), row.verdict(), row.note().isEmpty() ? "" : " (" + row.note() + ")");
    }
  }

  /** Writes {@code dir/<scenario>-summary.csv}. */
  Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    StringBuilder csv = new StringBuilder("metric,value,unit,target,verdict\n");
    for (Row row : rows) {
      csv.append(row.metric()).append(',').append(format(row.value())).append(',').append(row.unit()).append(',')
          .append(row.target()).append(',').append(row.verdict()).append('\n');
    }
    Path file = dir.resolve(scenario + "-summary.csv");
    Files.writeString(file, csv, StandardCharsets.UTF_8);
    return file;
  }

  static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
