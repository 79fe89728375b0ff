package dev.tenancy.benchmarks.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The results of one or more JMH runs written with {@code -rf json}, read with Jackson (already on the benchmarks'
 * class path through tenancy-core), so {@code run-all} needs nothing but the JDK and Maven.
 */
final class JmhResults {

  /**
   * One benchmark result.
   *
   * @param benchmark simple class name and method, {@code TenantContextBenchmark.enterExit}
   * @param params the JMH parameters it ran with
   * @param score the primary score
   * @param error the primary score's error (99.9 % interval half-width; NaN when JMH gives none)
   * @param unit JMH's unit, {@code ns/op}, {@code us/op}, {@code ops/s}
   * @param percentiles sample-time percentiles by JMH's key ({@code "50.0"}), empty for other modes
   * @param secondary secondary results (AuxCounters, profilers) by name
   */
  record Result(String benchmark, Map<String, String> params, double score, double error, String unit,
      Map<String, Double> percentiles, Map<String, Double> secondary) {

    /**
     * The score in nanoseconds per operation, for time-per-operation units.
     *
     * @param value a score in this result's unit
     * @return nanoseconds, or NaN for a throughput unit
     */
    double nanos(double value) {
      String perOp = unit.endsWith("/op") ? unit.substring(0, unit.length() - 3) : "";
      return switch (perOp) {
        case "ns" -> value;
        case "us" -> value * 1e3;
        case "ms" -> value * 1e6;
        case "s" -> value * 1e9;
        default -> Double.NaN;
      };
    }

    /** @return {@code Class.method [k=v, ...]} */
    String label() {
      return params.isEmpty() ? benchmark : benchmark + " " + params;
    }
  }

  private final List<Result> results;
  private final Set<Result> used = Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  private JmhResults(List<Result> results) {
    this.results = List.copyOf(results);
  }

  /**
   * Reads JMH JSON files; a file that is empty or not an array (a run that failed before writing) is skipped.
   *
   * @param files the files
   * @return the results of all of them
   * @throws IOException if a file cannot be read
   */
  static JmhResults read(List<Path> files) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<Result> results = new ArrayList<>();
    for (Path file : files) {
      if (file.toFile().length() == 0) {
        continue;
      }
      JsonNode root = mapper.readTree(file.toFile());
      if (root == null || !root.isArray()) {
        continue;
      }
      for (JsonNode run : root) {
        results.add(result(run));
      }
    }
    return new JmhResults(results);
  }

  private static Result result(JsonNode run) {
    String name = run.path("benchmark").asText();
    String[] parts = name.split("\\.");
    String simple = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : name;
    Map<String, String> params = new LinkedHashMap<>();
    run.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    JsonNode primary = run.path("primaryMetric");
    Map<String, Double> percentiles = new LinkedHashMap<>();
    primary.path("scorePercentiles").fields().forEachRemaining(e -> percentiles.put(e.getKey(),
        e.getValue().asDouble()));
    Map<String, Double> secondary = new LinkedHashMap<>();
    run.path("secondaryMetrics").fields().forEachRemaining(e -> secondary.put(e.getKey(),
        e.getValue().path("score").asDouble()));
    JsonNode error = primary.path("scoreError");
    return new Result(simple, params, primary.path("score").asDouble(),
        error.isNumber() ? error.asDouble() : Double.NaN, primary.path("scoreUnit").asText(), percentiles, secondary);
  }

  /**
   * Finds a result and marks it as used by a table row.
   *
   * @param benchmark {@code Class.method}
   * @param params parameters the result must have (others are ignored)
   * @return the first match
   */
  Optional<Result> find(String benchmark, Map<String, String> params) {
    Objects.requireNonNull(params, "params");
    for (Result result : results) {
      if (result.benchmark().equals(benchmark) && result.params().entrySet().containsAll(params.entrySet())) {
        used.add(result);
        return Optional.of(result);
      }
    }
    return Optional.empty();
  }

  /** @return the results no {@link #find} has asked for, in file order */
  List<Result> unused() {
    List<Result> rest = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Result result : results) {
      if (!used.contains(result) && seen.add(result.label())) {
        rest.add(result);
      }
    }
    return rest;
  }
}
