package dev.tenancy.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A hand-written SVG line chart of p95 latency per one-second bucket, one line per tenant group, with an optional
 * dashed target line and vertical phase markers. No plotting library: the file is small, diffable and renders in any
 * browser or on GitHub.
 */
final class LatencyPlot {

  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
  private static final int WIDTH = 900;
  private static final int HEIGHT = 420;
  private static final int LEFT = 70;
  private static final int RIGHT = 200;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;

  private final String title;
  private final Map<String, double[]> series = new LinkedHashMap<>();
  private final Map<Integer, String> markers = new LinkedHashMap<>();
  private double target = Double.NaN;

  LatencyPlot(String title) {
    this.title = title;
  }

  /** Adds a line: {@code values[i]} is the p95 in ms of second {@code i} (NaN leaves a gap). */
  LatencyPlot line(String label, double[] values) {
    series.put(label, values.clone());
    return this;
  }

  /** Adds a labelled vertical line at {@code second}, e.g. where a phase starts. */
  LatencyPlot marker(int second, String label) {
    markers.put(second, label);
    return this;
  }

  /** Draws the target as a dashed horizontal line. */
  LatencyPlot target(double millis) {
    target = millis;
    return this;
  }

  void write(Path file) throws IOException {
    int length = 1;
    double max = Double.isNaN(target) ? 1 : target;
    for (double[] values : series.values()) {
      length = Math.max(length, values.length);
      for (double v : values) {
        if (!Double.isNaN(v)) {
          max = Math.max(max, v);
        }
      }
    }
    double top = niceCeiling(max * 1.1);
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    final int n = length;
    java.util.function.DoubleUnaryOperator x = s -> LEFT + plotWidth * (n <= 1 ? 0 : s / (n - 1));
    java.util.function.DoubleUnaryOperator y = v -> TOP + plotHeight * (1 - v / top);

    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
        LEFT, escape(title)));
    // Axes, grid and tick labels.
    for (int i = 0; i <= 5; i++) {
      double v = top * i / 5;
      double py = y.applyAsDouble(v);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
          LEFT, py, LEFT + plotWidth, py));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6,
          py + 4, Summary.format(Math.round(v * 100) / 100.0)));
    }
    int step = Math.max(1, niceStep(n / 10.0));
    for (int s = 0; s < n; s += step) {
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
          x.applyAsDouble(s), TOP + plotHeight + 18, s));
    }
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
        + "stroke=\"#333\"/>%n", LEFT, TOP, plotWidth, plotHeight));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time (s, by intended send "
        + "time)</text>%n", LEFT + plotWidth / 2, HEIGHT - 10));
    svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" "
        + "text-anchor=\"middle\">p95 latency per second (ms)</text>%n", TOP + plotHeight / 2, TOP + plotHeight / 2));
    if (!Double.isNaN(target)) {
      double py = y.applyAsDouble(target);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#888\" "
          + "stroke-dasharray=\"6 4\"/>%n<text x=\"%d\" y=\"%.1f\" fill=\"#666\">target %s ms</text>%n", LEFT, py,
          LEFT + plotWidth, py, LEFT + plotWidth + 6, py + 4, Summary.format(target)));
    }
    for (Map.Entry<Integer, String> marker : markers.entrySet()) {
      double px = x.applyAsDouble(marker.getKey());
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#aaa\"/>%n"
          + "<text x=\"%.1f\" y=\"%d\" fill=\"#555\">%s</text>%n", px, TOP, px, TOP + plotHeight, px + 4, TOP + 14,
          escape(marker.getValue())));
    }
    int index = 0;
    for (Map.Entry<String, double[]> line : series.entrySet()) {
      String colour = COLOURS[index % COLOURS.length];
      StringBuilder path = new StringBuilder();
      boolean pen = false;
      double[] values = line.getValue();
      for (int s = 0; s < values.length; s++) {
        if (Double.isNaN(values[s])) {
          pen = false;
          continue;
        }
        path.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", x.applyAsDouble(s),
            y.applyAsDouble(Math.min(values[s], top))));
        pen = true;
      }
      svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
          path.toString().trim(), colour));
      int ly = TOP + 20 + index * 20;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
          + "stroke-width=\"3\"/>%n<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotWidth + 10, ly,
          LEFT + plotWidth + 30, ly, colour, LEFT + plotWidth + 36, ly + 4, escape(line.getKey())));
      index++;
    }
    svg.append("</svg>\n");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, svg, StandardCharsets.UTF_8);
  }

  private static double niceCeiling(double value) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(value, 1e-3))));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * magnitude >= value) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static int niceStep(double raw) {
    for (int step : new int[] {1, 2, 5, 10, 15, 20, 30, 60, 120, 300}) {
      if (step >= raw) {
        return step;
      }
    }
    return 600;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
