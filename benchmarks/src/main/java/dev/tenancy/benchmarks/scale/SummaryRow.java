package dev.tenancy.benchmarks.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One line of a scenario summary: {@code metric,value,unit,target,verdict}, the CSV shape every scenario main class
 * writes and {@code benchmarks/run-all} reads ({@link RunAllReport}).
 *
 * @param metric what was measured, without commas
 * @param value the figure
 * @param unit its unit
 * @param target the target as text ({@code <=50}), or {@code -} when none is stated
 * @param verdict {@code PASS}, {@code FAIL} (target missed by more than 20 %) or {@code INFO} (no target)
 */
public record SummaryRow(String metric, double value, String unit, String target, String verdict) {

  /** The CSV header line. */
  public static final String HEADER = "metric,value,unit,target,verdict";

  /** How far past a target a figure may be before it counts as a failure: 20 %, as issue 12 states. */
  public static final double TOLERANCE = 1.20;

  /** Checks that no field can break the CSV. */
  public SummaryRow {
    for (String field : List.of(metric, unit, target, verdict)) {
      if (Objects.requireNonNull(field, "field").contains(",") || field.contains("\n")) {
        throw new IllegalArgumentException("CSV field must not contain a comma or newline: " + field);
      }
    }
  }

  /**
   * A figure with an upper-bound target: PASS when at most {@code target * 1.2}, FAIL beyond.
   *
   * @param metric what was measured
   * @param value the figure
   * @param unit its unit
   * @param target the upper bound
   * @return the row
   */
  public static SummaryRow atMost(String metric, double value, String unit, double target) {
    return new SummaryRow(metric, value, unit, "<=" + format(target), value <= target * TOLERANCE ? "PASS" : "FAIL");
  }

  /**
   * A figure without a stated target.
   *
   * @param metric what was measured
   * @param value the figure
   * @param unit its unit
   * @return the row
   */
  public static SummaryRow info(String metric, double value, String unit) {
    return new SummaryRow(metric, value, unit, "-", "INFO");
  }

  /** @return the CSV line (no newline) */
  public String csv() {
    return String.join(",", metric, format(value), unit, target, verdict);
  }

  /**
   * Writes a summary file: the header and one line per row.
   *
   * @param file where
   * @param rows the rows
   * @throws IOException if the file cannot be written
   */
  public static void write(Path file, List<SummaryRow> rows) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    rows.forEach(row -> lines.add(row.csv()));
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  /**
   * Reads a summary file written by any scenario (this class, or another helper's in the same shape).
   *
   * @param file the CSV
   * @return its rows; lines that do not have five fields are skipped
   * @throws IOException if the file cannot be read
   */
  public static List<SummaryRow> read(Path file) throws IOException {
    List<SummaryRow> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] fields = line.split(",", -1);
      if (fields.length != 5 || line.startsWith("metric,")) {
        continue;
      }
      double value;
      try {
        value = Double.parseDouble(fields[1].trim());
      } catch (NumberFormatException e) {
        value = Double.NaN;
      }
      rows.add(new SummaryRow(fields[0].trim(), value, fields[2].trim(), fields[3].trim(),
          fields[4].trim().toUpperCase(Locale.ROOT)));
    }
    return rows;
  }

  /**
   * Formats a figure with up to three significant decimals, no grouping (CSV-safe).
   *
   * @param value the figure
   * @return the text
   */
  public static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    double magnitude = Math.abs(value);
    String pattern = magnitude >= 100 || value == Math.rint(value) && magnitude < 1e15 ? "%.0f"
        : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, pattern, value);
  }
}
