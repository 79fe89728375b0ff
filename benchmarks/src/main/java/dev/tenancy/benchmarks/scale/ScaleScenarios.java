package dev.tenancy.benchmarks.scale;

import dev.tenancy.benchmarks.BenchDatabase;
import dev.tenancy.benchmarks.RoundTripCounter;
import dev.tenancy.core.TenantId;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Scenario (c) of issue 12: many tenants provisioned through the library, then what idle tenants cost it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tenancy.benchmarks.scale.ScaleScenarios &lt;rls|schema&gt; [--quick] [--out DIR]
 * </pre>
 *
 * <ol>
 *   <li><b>Provisioning</b> — 10,000 tenants in RLS mode (1,000 in schema mode; {@code --quick}: 1,000 / 200), one
 *       {@code TenantService.create} after the other on a {@code JdbcTenantStore}, each timed; in schema mode each
 *       creation runs {@code CreateSchemaStep} (a schema, Flyway, five tables, grants, seed rows). p50/p95/p99.</li>
 *   <li><b>Heap per idle tenant</b> — a fresh library instance (store, service, quota manager, tenant-bound
 *       DataSource: {@link ScaleFixture.Library}) warmed up with requests for 100 tenants, each of them also looked up
 *       by slug (so both keys of the store's cache hold it); used heap after {@code System.gc()} (lowest of three
 *       readings). Then the same instance sees all N tenants the same way, and the heap again. Slope = difference /
 *       (N − 100). Everything the harness holds (the ids, the random request orders) is allocated before the first
 *       reading.</li>
 *   <li><b>CPU per request</b> — {@code ThreadMXBean} CPU time of the calling thread over a fixed batch of requests
 *       (see {@link ScaleFixture.Library#request}) to random tenants. With two instances open, one that knows 100
 *       tenants and the one that knows all N, batches alternate: over the 100 on the first, over all N on the
 *       second, over the first 100 on the second, eleven times in rotating order. Alternating keeps machine drift out
 *       of the slope; the slope uses each kind's least disturbed batch (interference only adds CPU time), and the
 *       medians are reported too. Two more kinds of batch, 20 times longer, run the library's part alone (look-up,
 *       configuration, scope, quota permit; no database) over 100 and over N tenants.</li>
 * </ol>
 * Prints a table and writes {@code DIR/scale-<mode>-summary.csv} ({@link SummaryRow}); exits 0 whatever the verdicts
 * ({@code benchmarks/run-all} decides). Without PostgreSQL it prints why, writes a summary with a single INFO row
 * {@code skipped} and exits 0.
 */
public final class ScaleScenarios {

  private static final int SMALL = 100;
  private static final int REPETITIONS = 11;
  /** In-memory batches are this many times longer: a request without the database costs about a microsecond. */
  private static final int IN_MEMORY_FACTOR = 20;
  private static final double RLS_PROVISIONING_P95_MS = 50;
  private static final double HEAP_PER_TENANT_BYTES = 4096;

  private ScaleScenarios() {
  }

  /**
   * Runs the scenario.
   *
   * @param args {@code rls|schema}, optionally {@code --quick}, {@code --out DIR} (default {@code .}) and
   *     {@code --tenants N} (more than 100; overrides the mode's count, for trying the scenario out),
   *     {@code --sequential} (CPU batches visit tenants in load order instead of at random)
   * @throws Exception if the scenario fails (a wrong row count, a refused request, a database error)
   */
  public static void main(String[] args) throws Exception {
    ScaleMode mode = null;
    boolean quick = false;
    Path out = Path.of(".");
    int tenantsOverride = 0;
    boolean sequential = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> out = Path.of(args[++i]);
        case "--tenants" -> tenantsOverride = Integer.parseInt(args[++i]);
        case "--sequential" -> sequential = true;
        default -> mode = ScaleMode.parse(args[i]);
      }
    }
    if (mode == null) {
      System.err.println("usage: ScaleScenarios <rls|schema> [--quick] [--out DIR] [--tenants N] [--sequential]");
      System.exit(2);
      return;
    }
    Path summary = out.resolve("scale-" + mode.label() + "-summary.csv");
    BenchDatabase database;
    try {
      database = BenchDatabase.create();
    } catch (IllegalStateException e) {
      System.out.println("scale-" + mode.label() + ": SKIPPED, " + e.getMessage());
      SummaryRow.write(summary, List.of(new SummaryRow("skipped", 1, "flag", "-", "INFO")));
      return;
    }
    List<SummaryRow> rows;
    try (ScaleFixture fixture = ScaleFixture.create(mode, database)) {
      rows = run(mode, quick, tenantsOverride > 0 ? tenantsOverride : mode.tenants(quick), sequential, fixture);
    }
    print(mode, quick, rows);
    SummaryRow.write(summary, rows);
    System.out.println("wrote " + summary);
  }

  private static List<SummaryRow> run(ScaleMode mode, boolean quick, int tenants, boolean sequential,
      ScaleFixture fixture)
      throws SQLException {
    if (tenants <= SMALL) {
      throw new IllegalArgumentException("--tenants must be more than " + SMALL);
    }
    int batch = quick ? 500 : 2_000;
    int warmupRounds = quick ? 20 : 10;
    long[] heaps;
    long started = System.nanoTime();

    // 1. Provisioning, one tenant after the other.
    TenantId[] ids = new TenantId[tenants];
    double[] millis = new double[tenants];
    for (int i = 0; i < tenants; i++) {
      long t0 = System.nanoTime();
      ids[i] = fixture.provision(i);
      millis[i] = (System.nanoTime() - t0) / 1e6;
      if ((i + 1) % Math.max(1, tenants / 10) == 0) {
        System.out.printf(Locale.ROOT, "  provisioned %,d / %,d (%.1f s)%n", i + 1, tenants,
            (System.nanoTime() - started) / 1e9);
      }
    }
    double provisioningSeconds = (System.nanoTime() - started) / 1e9;
    long active = fixture.activeTenants();
    if (active != tenants) {
      throw new IllegalStateException("expected " + tenants + " active tenants, the store holds " + active);
    }
    fixture.seedRlsLeads();

    // Everything the harness holds during the heap readings is allocated now.
    SplittableRandom random = new SplittableRandom(12);
    int[][] smallOrders = orders(random, SMALL, batch, sequential);
    int[][] allOrders = orders(random, tenants, batch, sequential);
    int[][] spreadOrders = orders(random, SMALL, batch, sequential);
    long[] cpuSmall = new long[REPETITIONS];
    long[] cpuAll = new long[REPETITIONS];
    long[] cpuSpread = new long[REPETITIONS];
    long[] memorySmall = new long[REPETITIONS];
    long[] memoryAll = new long[REPETITIONS];
    long[] memoryKnown = new long[REPETITIONS];
    int[][] allOrdersLong = orders(random, tenants, IN_MEMORY_FACTOR * batch, sequential);
    int[][] smallOrdersLong = orders(random, SMALL, IN_MEMORY_FACTOR * batch, sequential);
    long[] wallAll = new long[REPETITIONS];
    long[] tripsAll = new long[REPETITIONS];

    // 2. Heap: one library instance that has seen 100 tenants, then all N.
    try (ScaleFixture.Library large = fixture.openLibrary()) {
      // Warm-up long enough for the JIT to settle the request path, so the CPU batches do not carry it.
      for (int round = 0; round < warmupRounds; round++) {
        for (int index : smallOrders[round % REPETITIONS]) {
          large.request(ids[index]);
        }
      }
      touch(large, ids, SMALL);
      long heapSmall = settledHeap();
      touch(large, ids, tenants);
      long heapAll = settledHeap();
      try (ScaleFixture.Library small = fixture.openLibrary()) {
        touch(small, ids, SMALL);
        // What a second instance that knows 100 tenants adds: its fixed cost plus 100 tenants (for the record).
        long heapBoth = settledHeap();

        // 3. CPU: batches alternate between a library that knows 100 tenants and the one that knows all N (and,
        // on the latter, requests over only its first 100), so a drift of the machine hits all three alike.
        // The order rotates, so no kind of batch always follows the same other kind.
        for (int r = 0; r < REPETITIONS; r++) {
          for (int k = 0; k < 6; k++) {
            switch ((r + k) % 6) {
              case 0 -> cpuSmall[r] = batchCpu(small, ids, smallOrders[r], null, null, r);
              case 1 -> cpuAll[r] = batchCpu(large, ids, allOrders[r], wallAll, tripsAll, r);
              case 2 -> cpuSpread[r] = batchCpu(large, ids, spreadOrders[r], null, null, r);
              case 3 -> memorySmall[r] = inMemoryCpu(small, ids, smallOrdersLong[r]);
              case 4 -> memoryKnown[r] = inMemoryCpu(large, ids, smallOrdersLong[(r + 1) % REPETITIONS]);
              default -> memoryAll[r] = inMemoryCpu(large, ids, allOrdersLong[r]);
            }
          }
        }
        heaps = new long[] {heapSmall, heapAll, heapBoth};
      }
    }
    double totalSeconds = (System.nanoTime() - started) / 1e9;

    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    int decile = Math.max(1, tenants / 10);
    double[] first = Arrays.copyOfRange(millis, 0, decile);
    double[] last = Arrays.copyOfRange(millis, tenants - decile, tenants);
    Arrays.sort(first);
    Arrays.sort(last);
    // Interference from other processes only ever adds CPU time (cache and TLB pollution, frequency), so the least
    // disturbed batch is the estimate of the request's own cost; the medians are reported alongside.
    double perRequestAll = min(cpuAll) / (double) batch / 1_000.0;
    double perRequestDrift = min(cpuSpread) / (double) batch / 1_000.0;
    double perRequestSmall = min(cpuSmall) / (double) batch / 1_000.0;
    double heapSlope = (heaps[1] - heaps[0]) / (double) (tenants - SMALL);

    List<SummaryRow> rows = new ArrayList<>();
    rows.add(SummaryRow.info("tenants provisioned", tenants, "tenants"));
    rows.add(SummaryRow.info("provisioning p50", percentile(sorted, 50), "ms"));
    rows.add(mode == ScaleMode.RLS
        ? SummaryRow.atMost("provisioning p95", percentile(sorted, 95), "ms", RLS_PROVISIONING_P95_MS)
        : SummaryRow.info("provisioning p95", percentile(sorted, 95), "ms"));
    rows.add(SummaryRow.info("provisioning p99", percentile(sorted, 99), "ms"));
    rows.add(SummaryRow.info("provisioning max", sorted[tenants - 1], "ms"));
    rows.add(SummaryRow.info("provisioning p95 first 10%", percentile(first, 95), "ms"));
    rows.add(SummaryRow.info("provisioning p95 last 10%", percentile(last, 95), "ms"));
    rows.add(SummaryRow.info("provisioning rate", tenants / provisioningSeconds, "tenants/s"));
    rows.add(SummaryRow.info("heap after GC at " + SMALL + " tenants", heaps[0] / 1_048_576.0, "MiB"));
    rows.add(SummaryRow.info("heap after GC at " + tenants + " tenants", heaps[1] / 1_048_576.0, "MiB"));
    rows.add(SummaryRow.info("heap of a second library at " + SMALL + " tenants", (heaps[2] - heaps[1]) / 1024.0,
        "KiB"));
    rows.add(SummaryRow.atMost("heap per idle tenant (slope)", heapSlope, "B/tenant", HEAP_PER_TENANT_BYTES));
    rows.add(SummaryRow.info("CPU per request at " + SMALL + " tenants best", perRequestSmall, "us"));
    rows.add(SummaryRow.info("CPU per request at " + tenants + " tenants best", perRequestAll, "us"));
    rows.add(SummaryRow.info("CPU per request over " + SMALL + " of " + tenants + " loaded tenants best",
        perRequestDrift, "us"));
    rows.add(SummaryRow.info("CPU per request at " + SMALL + " tenants median", median(cpuSmall) / batch / 1e3, "us"));
    rows.add(SummaryRow.info("CPU per request at " + tenants + " tenants median", median(cpuAll) / batch / 1e3, "us"));
    rows.add(SummaryRow.info("CPU per request ratio of medians", median(cpuAll) / median(cpuSmall), "x"));
    rows.add(SummaryRow.atMost("CPU per request ratio " + tenants + "/" + SMALL, perRequestAll / perRequestSmall,
        "x", 1.0));
    rows.add(SummaryRow.info("CPU per request ratio " + tenants + "/" + SMALL + " same library",
        perRequestAll / perRequestDrift, "x"));
    double memorySmallNanos = min(memorySmall) / (double) (IN_MEMORY_FACTOR * batch);
    double memoryAllNanos = min(memoryAll) / (double) (IN_MEMORY_FACTOR * batch);
    rows.add(SummaryRow.info("library CPU per request without DB at " + SMALL + " tenants best", memorySmallNanos,
        "ns"));
    rows.add(SummaryRow.info("library CPU per request without DB at " + tenants + " tenants best", memoryAllNanos,
        "ns"));
    double memoryKnownNanos = min(memoryKnown) / (double) (IN_MEMORY_FACTOR * batch);
    rows.add(SummaryRow.info("library CPU per request without DB over " + SMALL + " of " + tenants
        + " known tenants best", memoryKnownNanos, "ns"));
    // Flat in the number of tenants the library knows: serving 100 of N must cost what serving 100 of 100 does (no
    // work grows with the tenant count). Serving all N at random also leaves the processor caches; that part is
    // reported, with its slope, not judged (docs/performance.md, "Performance at scale").
    rows.add(SummaryRow.atMost("library CPU without DB ratio " + SMALL + " of " + tenants + " known/" + SMALL,
        memoryKnownNanos / memorySmallNanos, "x", 1.0));
    rows.add(SummaryRow.info("library CPU without DB ratio " + tenants + "/" + SMALL + " all served at random",
        memoryAllNanos / memorySmallNanos, "x"));
    rows.add(SummaryRow.info("library CPU without DB slope (all served at random)",
        (memoryAllNanos - memorySmallNanos) / (tenants - SMALL) * 1_000.0, "ns per 1k tenants"));
    rows.add(SummaryRow.info("CPU per request slope", (perRequestAll - perRequestSmall) * 1_000.0
        / (tenants - SMALL) * 1_000.0, "ns per 1k tenants"));
    rows.add(SummaryRow.info("wall per request at " + tenants + " tenants",
        median(wallAll) / (double) batch / 1_000.0, "us"));
    rows.add(SummaryRow.info("round trips per request", median(tripsAll) / (double) batch, "trips"));
    rows.add(SummaryRow.info("scenario wall time", totalSeconds, "s"));
    return rows;
  }

  /** CPU nanoseconds of this thread for one batch; optionally also its wall time and round trips. */
  private static long batchCpu(ScaleFixture.Library library, TenantId[] ids, int[] order, long @Nullable [] wall,
      long @Nullable [] trips,
      int slot) throws SQLException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long trips0 = RoundTripCounter.total();
    long wall0 = System.nanoTime();
    long cpu0 = threads.getCurrentThreadCpuTime();
    for (int index : order) {
      library.request(ids[index]);
    }
    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
    if (wall != null) {
      wall[slot] = System.nanoTime() - wall0;
    }
    if (trips != null) {
      trips[slot] = RoundTripCounter.total() - trips0;
    }
    return cpu;
  }

  /** CPU nanoseconds of this thread for a batch of the library's in-memory part of a request. */
  private static long inMemoryCpu(ScaleFixture.Library library, TenantId[] ids, int[] order) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    int admitted = 0;
    for (int index : order) {
      admitted += library.requestInMemory(ids[index]) ? 1 : 0;
    }
    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
    if (admitted != order.length) {
      throw new IllegalStateException((order.length - admitted) + " in-memory requests were refused");
    }
    return cpu;
  }

  /** One request for each of the first {@code count} tenants, and a look-up by slug: what makes them known. */
  private static void touch(ScaleFixture.Library library, TenantId[] ids, int count) throws SQLException {
    for (int i = 0; i < count; i++) {
      library.request(ids[i]);
      library.lookUpBySlug(i);
    }
  }

  private static int[][] orders(SplittableRandom random, int tenants, int batch, boolean sequential) {
    int[][] orders = new int[REPETITIONS][batch];
    for (int[] order : orders) {
      // --sequential: the same work in the order the tenants were loaded, from a random start, so the objects a
      // request touches lie next to the previous one's; if the slope then vanishes, it is the memory hierarchy.
      int start = random.nextInt(tenants);
      for (int i = 0; i < batch; i++) {
        order[i] = sequential ? (start + i) % tenants : random.nextInt(tenants);
      }
    }
    return orders;
  }

  /**
   * Used heap after full collections: the lowest of three readings, each after {@code System.gc()} and a pause for
   * reference processing and concurrent clean-up to finish (there is nothing to wait on, so it is a fixed pause).
   */
  private static long settledHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long lowest = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        TimeUnit.MILLISECONDS.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the heap settled", e);
      }
      lowest = Math.min(lowest, memory.getHeapMemoryUsage().getUsed());
    }
    return lowest;
  }

  private static long min(long[] values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static void print(ScaleMode mode, boolean quick, List<SummaryRow> rows) {
    System.out.printf(Locale.ROOT, "%nscale-%s%s (java %s, %d cpus)%n", mode.label(), quick ? " --quick" : "",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%-56s %14s %-18s %-8s %s%n", "metric", "value", "unit", "target", "verdict");
    for (SummaryRow row : rows) {
      System.out.printf(Locale.ROOT, "%-56s %14s %-18s %-8s %s%n", row.metric(), SummaryRow.format(row.value()),
          row.unit(), row.target(), row.verdict());
    }
  }
}
