package dev.tenancy.benchmarks.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Everything one run measured, in microseconds from each request's intended send time: per tenant, per tenant group
 * (overall, per operation, per one-second bucket of intended time) and per app instance, with ok / 429 / error
 * counts. A 429 is counted apart and its (short) latency is recorded too; an error is a 5xx, another unexpected
 * status or an I/O failure (status -1).
 */
final class LoadRecorder {

  /** Counts and latencies of one tenant or one group. */
  static final class Stats {
    final Histogram latency = new ConcurrentHistogram(2);
    final LongAdder ok = new LongAdder();
    final LongAdder throttled = new LongAdder();
    final LongAdder errors = new LongAdder();

    void add(int status, long micros) {
      latency.recordValue(Math.max(1, micros));
      if (status >= 200 && status < 300) {
        ok.increment();
      } else if (status == 429) {
        throttled.increment();
      } else {
        errors.increment();
      }
    }

    long count() {
      return ok.sum() + throttled.sum() + errors.sum();
    }

    void addAll(Stats other) {
      latency.add(other.latency);
      ok.add(other.ok.sum());
      throttled.add(other.throttled.sum());
      errors.add(other.errors.sum());
    }

    double p(double percentile) {
      return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  private final long start;
  private final int seconds;
  private final List<String> instances;
  private final Map<String, Stats> tenants = new ConcurrentHashMap<>();
  private final Map<String, String> groupOf = new ConcurrentHashMap<>();
  private final Map<String, Stats> groups = new ConcurrentHashMap<>();
  private final Map<String, Map<Mix.Op, Stats>> operations = new ConcurrentHashMap<>();
  private final Map<String, Histogram[]> perSecond = new ConcurrentHashMap<>();
  private final Stats[] perInstance;
  private final Histogram sendLag = new ConcurrentHistogram(2);
  private volatile long finished;

  LoadRecorder(long start, int seconds, List<String> instances) {
    this.start = start;
    this.seconds = seconds;
    this.instances = List.copyOf(instances);
    perInstance = new Stats[instances.size()];
    for (int i = 0; i < perInstance.length; i++) {
      perInstance[i] = new Stats();
    }
  }

  void register(TenantLoad tenant) {
    tenants.put(tenant.name(), new Stats());
    groupOf.put(tenant.name(), tenant.group());
    groups.computeIfAbsent(tenant.group(), g -> new Stats());
    operations.computeIfAbsent(tenant.group(), g -> {
      Map<Mix.Op, Stats> map = new EnumMap<>(Mix.Op.class);
      for (Mix.Op op : Mix.Op.values()) {
        map.put(op, new Stats());
      }
      return map;
    });
    perSecond.computeIfAbsent(tenant.group(), g -> {
      Histogram[] buckets = new Histogram[seconds];
      for (int i = 0; i < seconds; i++) {
        buckets[i] = new ConcurrentHistogram(2);
      }
      return buckets;
    });
  }

  void record(TenantLoad tenant, Mix.Op op, int instance, int status, long intended, long started, long ended) {
    long micros = (ended - intended) / 1000;
    tenants.get(tenant.name()).add(status, micros);
    groups.get(tenant.group()).add(status, micros);
    operations.get(tenant.group()).get(op).add(status, micros);
    perInstance[instance].add(status, micros);
    sendLag.recordValue(Math.max(1, (started - intended) / 1000));
    int second = (int) ((intended - start) / 1_000_000_000L);
    if (second >= 0 && second < seconds) {
      perSecond.get(tenant.group())[second].recordValue(Math.max(1, micros));
    }
  }

  /**
   * Pools runs of the same tenants into one, as if they had run back to back: counts and histograms are added, the
   * per-second series are concatenated in the given order (how the noisy scenario pools its alternating blocks).
   */
  static LoadRecorder merge(List<LoadRecorder> runs) {
    int seconds = 0;
    long elapsed = 0;
    for (LoadRecorder run : runs) {
      seconds += run.seconds;
      elapsed += run.finished - run.start;
    }
    LoadRecorder merged = new LoadRecorder(0, seconds, runs.get(0).instances);
    int offset = 0;
    for (LoadRecorder run : runs) {
      merged.groupOf.putAll(run.groupOf);
      run.tenants.forEach((t, stats) -> merged.tenants.computeIfAbsent(t, x -> new Stats()).addAll(stats));
      run.groups.forEach((g, stats) -> merged.groups.computeIfAbsent(g, x -> new Stats()).addAll(stats));
      run.operations.forEach((g, ops) -> {
        Map<Mix.Op, Stats> into = merged.operations.computeIfAbsent(g, x -> {
          Map<Mix.Op, Stats> map = new EnumMap<>(Mix.Op.class);
          for (Mix.Op op : Mix.Op.values()) {
            map.put(op, new Stats());
          }
          return map;
        });
        ops.forEach((op, stats) -> into.get(op).addAll(stats));
      });
      for (int i = 0; i < run.perInstance.length; i++) {
        merged.perInstance[i].addAll(run.perInstance[i]);
      }
      merged.sendLag.add(run.sendLag);
      final int at = offset;
      final int total = seconds;
      run.perSecond.forEach((g, buckets) -> {
        Histogram[] into = merged.perSecond.computeIfAbsent(g, x -> {
          Histogram[] fresh = new Histogram[total];
          for (int i = 0; i < total; i++) {
            fresh[i] = new ConcurrentHistogram(2);
          }
          return fresh;
        });
        for (int i = 0; i < buckets.length; i++) {
          into[at + i].add(buckets[i]);
        }
      });
      offset += run.seconds;
    }
    merged.finished = elapsed;
    return merged;
  }

  void finish(long at) {
    finished = at;
  }

  /** @return wall time from the first intended send to the last answer, in seconds */
  double elapsedSeconds() {
    return (finished - start) / 1e9;
  }

  /** @return the window the load was offered in, in seconds */
  int windowSeconds() {
    return seconds;
  }

  Stats group(String name) {
    return groups.get(name);
  }

  Stats tenant(String name) {
    return tenants.get(name);
  }

  Stats instance(int index) {
    return perInstance[index];
  }

  Stats operation(String group, Mix.Op op) {
    return operations.get(group).get(op);
  }

  /** @return the send lag's 99th percentile in ms: how late the pool picked requests up (generator saturation) */
  double sendLagP99() {
    return sendLag.getValueAtPercentile(99) / 1000.0;
  }

  /** @return the p95 in ms of every one-second bucket of the group (NaN where nothing was sent) */
  double[] p95PerSecond(String group) {
    Histogram[] buckets = perSecond.get(group);
    double[] series = new double[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      series[i] = buckets[i].getTotalCount() == 0 ? Double.NaN : buckets[i].getValueAtPercentile(95) / 1000.0;
    }
    return series;
  }

  /** @return the group names, sorted */
  List<String> groups() {
    List<String> names = new ArrayList<>();
    for (String group : groupOf.values()) {
      if (!names.contains(group)) {
        names.add(group);
      }
    }
    names.sort(null);
    return names;
  }

  /** @return the names of the tenants in {@code group}, sorted */
  List<String> tenantsOf(String group) {
    List<String> names = new ArrayList<>();
    groupOf.forEach((tenant, g) -> {
      if (g.equals(group)) {
        names.add(tenant);
      }
    });
    names.sort(null);
    return names;
  }

  /** Prints the per-group, per-operation and per-instance tables under a heading. */
  void print(PrintStream out, String heading) {
    out.printf(Locale.ROOT, "%n-- %s: %d s offered, %.1f s until the last answer; generator send lag p99 %.1f ms --%n",
        heading, seconds, elapsedSeconds(), sendLagP99());
    header(out, "group");
    for (String group : groups()) {
      line(out, group + " (" + tenantsOf(group).size() + " tenants)", groups.get(group));
    }
    header(out, "group / operation");
    for (String group : groups()) {
      for (Mix.Op op : Mix.Op.values()) {
        Stats stats = operations.get(group).get(op);
        if (stats.count() > 0) {
          line(out, group + " " + op.name().toLowerCase(Locale.ROOT), stats);
        }
      }
    }
    if (instances.size() > 1) {
      header(out, "instance");
      for (int i = 0; i < instances.size(); i++) {
        line(out, instances.get(i), perInstance[i]);
      }
    }
  }

  private void header(PrintStream out, String what) {
    out.printf(Locale.ROOT, "%-34s %8s %8s %8s %6s %6s %8s %8s %8s %8s%n", what, "requests", "req/s", "ok", "429",
        "errors", "p50 ms", "p95 ms", "p99 ms", "max ms");
  }

  private void line(PrintStream out, String label, Stats stats) {
    out.printf(Locale.ROOT, "%-34s %8d %8.1f %8d %6d %6d %8.2f %8.2f %8.2f %8.2f%n", label, stats.count(),
        stats.count() / (double) seconds, stats.ok.sum(), stats.throttled.sum(), stats.errors.sum(), stats.p(50),
        stats.p(95), stats.p(99), stats.latency.getMaxValue() / 1000.0);
  }

  /** Writes one row per tenant: {@code phase,tenant,group,requests,ok,throttled,errors,p50_ms,p95_ms,p99_ms}. */
  static void writeTenants(Path file, Map<String, LoadRecorder> phases) throws IOException {
    StringBuilder csv = new StringBuilder("phase,tenant,group,requests,ok,throttled,errors,p50_ms,p95_ms,p99_ms\n");
    for (Map.Entry<String, LoadRecorder> phase : phases.entrySet()) {
      LoadRecorder run = phase.getValue();
      for (Map.Entry<String, Stats> tenant : new LinkedHashMap<>(run.tenants).entrySet()) {
        Stats s = tenant.getValue();
        csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%d,%d,%.3f,%.3f,%.3f%n", phase.getKey(),
            tenant.getKey(), run.groupOf.get(tenant.getKey()), s.count(), s.ok.sum(), s.throttled.sum(),
            s.errors.sum(), s.p(50), s.p(95), s.p(99)));
      }
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, csv, StandardCharsets.UTF_8);
  }

  /** Writes one row per group and operation of every phase. */
  static void writeGroups(Path file, Map<String, LoadRecorder> phases) throws IOException {
    StringBuilder csv = new StringBuilder("phase,group,operation,requests,req_per_s,ok,throttled,errors,p50_ms,"
        + "p95_ms,p99_ms,max_ms\n");
    for (Map.Entry<String, LoadRecorder> phase : phases.entrySet()) {
      LoadRecorder run = phase.getValue();
      for (String group : run.groups()) {
        row(csv, phase.getKey(), group, "all", run.groups.get(group), run.seconds);
        for (Mix.Op op : Mix.Op.values()) {
          Stats stats = run.operations.get(group).get(op);
          if (stats.count() > 0) {
            row(csv, phase.getKey(), group, op.name().toLowerCase(Locale.ROOT), stats, run.seconds);
          }
        }
      }
      for (int i = 0; run.instances.size() > 1 && i < run.instances.size(); i++) {
        row(csv, phase.getKey(), "instance " + run.instances.get(i), "all", run.perInstance[i], run.seconds);
      }
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, csv, StandardCharsets.UTF_8);
  }

  private static void row(StringBuilder csv, String phase, String group, String op, Stats s, int seconds) {
    csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%.2f,%d,%d,%d,%.3f,%.3f,%.3f,%.3f%n", phase, group, op,
        s.count(), s.count() / (double) seconds, s.ok.sum(), s.throttled.sum(), s.errors.sum(), s.p(50), s.p(95),
        s.p(99), s.latency.getMaxValue() / 1000.0));
  }
}
