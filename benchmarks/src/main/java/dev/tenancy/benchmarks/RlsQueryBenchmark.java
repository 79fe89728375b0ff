package dev.tenancy.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.jdbc.RowLevelSecurity;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What row-level security costs a query, next to the same query with an explicit {@code WHERE organization_id = ?}
 * run without RLS, on 1,000 tenants × 1,000 rows.
 *
 * <p>Each trial creates its own database ({@link BenchDatabase}) with one table ({@link RlsLeadsTable}),
 * {@code leads(organization_id uuid, id uuid, name text, PRIMARY KEY (organization_id, id))}, 1,000,000 rows written
 * by {@code INSERT … SELECT} with the tenants interleaved (as concurrent writers would leave them), then
 * {@code VACUUM ANALYZE}. RLS is enabled and forced; two policies, each for its own non-owner role without BYPASSRLS,
 * so both forms run on the very same pages:
 * <ul>
 *   <li>role {@code bench_app}: the form {@code RlsPolicies} generates,
 *       {@code organization_id = (select NULLIF(current_setting('tenancy.tenant_id', true), '')::uuid)} — an InitPlan,
 *       evaluated once per query;</li>
 *   <li>role {@code bench_bare}: {@code organization_id = NULLIF(current_setting('tenancy.tenant_id', true), '')::uuid}
 *       — evaluated for every row a sequential scan reads.</li>
 * </ul>
 * Both roles connect through {@link TenantAwareDataSource} with {@link RowLevelSecurity}, bound to one tenant. The
 * baseline is the table's owner, a superuser (which RLS never applies to), sending the same query with the explicit
 * tenant predicate. Each side holds one connection for the whole trial and one prepared statement per query (pgjdbc
 * turns it into a server-side prepared statement after five executions), so the measurement is the query, not the
 * checkout ({@link JdbcCheckoutBenchmark} measures that).
 *
 * <p>Over JDBC every query is one round trip (checked per iteration), which dominates a point lookup; the
 * {@code server*} benchmarks therefore also run 1,000 lookups (or 100 range scans) per call inside a PL/pgSQL function
 * invoked by each role, which shows the executor's cost of the policy without the network. The {@code seqScan*}
 * benchmarks force a sequential scan ({@code enable_indexscan}, {@code enable_indexonlyscan},
 * {@code enable_bitmapscan} off, no parallel workers) over all 1,000,000 rows; their difference divided by 10^6 is the
 * per-row cost of each policy form. Every trial checks the plans with {@code EXPLAIN} and the row counts before
 * measuring.
 *
 * <p>The class and its states are not {@code final} because JMH's generated code subclasses them. Fields of the
 * states are assigned by their {@code @Setup} methods, which JMH runs before any benchmark method sees them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.provider=" + BasicMdcServiceProvider.NAME)
public class RlsQueryBenchmark {

  private static final int ROWS_PER_TENANT = RlsLeadsTable.ROWS_PER_TENANT;
  private static final int RANGE = RlsLeadsTable.RANGE;

  /** Creates the benchmark; JMH instantiates it. */
  public RlsQueryBenchmark() {
  }

  /** The database, its data, the three pools, and the tenant every query is for. */
  @State(Scope.Benchmark)
  public static class Data {

    BenchDatabase database;
    TenantAwareDataSource generated;
    TenantAwareDataSource bare;
    HikariDataSource owner;
    TenantInfo tenant;
    /** The tenant's 1,000 lead ids, in id order. */
    UUID[] ids;

    /** Creates the state; JMH instantiates it. */
    public Data() {
    }

    /**
     * Creates the database, loads 1,000,000 rows and opens one connection per role.
     *
     * @throws SQLException if reading the chosen tenant's ids fails
     */
    @Setup(Level.Trial)
    public void load() throws SQLException {
      database = BenchDatabase.create();
      String appRole = database.createApplicationRole("bench_app");
      String bareRole = database.createApplicationRole("bench_bare");
      RlsLeadsTable.create(database, appRole, bareRole);
      generated = TenantAwareDataSource.of(RowLevelSecurity.builder(database.pool(appRole, 1)).build());
      bare = TenantAwareDataSource.of(RowLevelSecurity.builder(database.pool(bareRole, 1)).build());
      owner = database.pool(BenchDatabase.ADMIN_USER, 1);
      try (Connection connection = owner.getConnection()) {
        UUID organization = single(connection, "SELECT organization_id FROM leads ORDER BY organization_id LIMIT 1");
        tenant = TenantInfo.of(TenantId.of(organization), TenantSlug.of("bench-tenant"));
        List<UUID> found = new ArrayList<>();
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT id FROM leads WHERE organization_id = ? ORDER BY id")) {
          statement.setObject(1, organization);
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              found.add(rows.getObject(1, UUID.class));
            }
          }
        }
        RlsLeadsTable.check(found.size() == ROWS_PER_TENANT, "the tenant has " + found.size() + " rows, not " + ROWS_PER_TENANT);
        ids = found.toArray(new UUID[0]);
      }
    }

    /** Closes the pools and drops the database and the roles. */
    @TearDown(Level.Trial)
    public void drop() {
      database.close();
    }
  }

  /**
   * The benchmark thread inside a scope for the tenant, holding one connection per role and the prepared statements,
   * for the point-lookup and range-scan benchmarks (the planner left at its defaults).
   */
  @State(Scope.Thread)
  public static class Indexed {

    private @Nullable TenantScope scope;
    private final List<AutoCloseable> resources = new ArrayList<>();
    PreparedStatement rlsPoint;
    PreparedStatement explicitPoint;
    PreparedStatement rlsRange;
    PreparedStatement explicitRange;
    PreparedStatement serverRlsPoint;
    PreparedStatement serverExplicitPoint;
    PreparedStatement serverRlsRange;
    PreparedStatement serverExplicitRange;
    int next;

    /** Creates the state; JMH instantiates it. */
    public Indexed() {
    }

    /**
     * Checks the connections out, prepares the statements and checks their plans and results.
     *
     * @param data the database
     * @throws SQLException if anything fails
     */
    @Setup(Level.Trial)
    public void open(Data data) throws SQLException {
      scope = TenantContext.enter(data.tenant);
      Connection rls = keep(data.generated.getConnection());
      Connection explicit = keep(data.owner.getConnection());
      rlsPoint = keep(rls.prepareStatement("SELECT name FROM leads WHERE id = ?"));
      explicitPoint = keep(explicit.prepareStatement("SELECT name FROM leads WHERE organization_id = ? AND id = ?"));
      explicitPoint.setObject(1, data.tenant.id().value());
      rlsRange = keep(rls.prepareStatement("SELECT id, name FROM leads ORDER BY id LIMIT " + RANGE));
      explicitRange = keep(explicit.prepareStatement(
          "SELECT id, name FROM leads WHERE organization_id = ? ORDER BY id LIMIT " + RANGE));
      explicitRange.setObject(1, data.tenant.id().value());
      Array ids = rls.createArrayOf("uuid", data.ids);
      serverRlsPoint = keep(rls.prepareStatement("SELECT rls_point_lookups(?)"));
      serverRlsPoint.setArray(1, ids);
      serverExplicitPoint = keep(explicit.prepareStatement("SELECT explicit_point_lookups(?, ?)"));
      serverExplicitPoint.setObject(1, data.tenant.id().value());
      serverExplicitPoint.setArray(2, explicit.createArrayOf("uuid", data.ids));
      serverRlsRange = keep(rls.prepareStatement("SELECT rls_range_scans(" + data.ids.length + ")"));
      serverExplicitRange = keep(explicit.prepareStatement("SELECT explicit_range_scans(?, " + data.ids.length + ")"));
      serverExplicitRange.setObject(1, data.tenant.id().value());

      String lookup = "'" + data.ids[0] + "'";
      String org = "'" + data.tenant.id() + "'";
      RlsLeadsTable.expectPlan(rls, "SELECT name FROM leads WHERE id = " + lookup, "Index Scan using leads_pkey", "InitPlan");
      RlsLeadsTable.expectPlan(explicit, "SELECT name FROM leads WHERE organization_id = " + org + " AND id = " + lookup,
          "Index Scan using leads_pkey");
      RlsLeadsTable.expectPlan(rls, "SELECT id, name FROM leads ORDER BY id LIMIT " + RANGE, "Index Scan using leads_pkey",
          "InitPlan");
      RlsLeadsTable.expectPlan(explicit, "SELECT id, name FROM leads WHERE organization_id = " + org + " ORDER BY id LIMIT " + RANGE,
          "Index Scan using leads_pkey");
      RlsLeadsTable.check(pointLookup(rlsPoint, 1, data.ids[0]) != null, "the RLS point lookup found nothing");
      RlsLeadsTable.check(pointLookup(explicitPoint, 2, data.ids[0]) != null, "the explicit point lookup found nothing");
      RlsLeadsTable.check(range(rlsRange) == RANGE, "the RLS range scan did not return " + RANGE + " rows");
      RlsLeadsTable.check(range(explicitRange) == RANGE, "the explicit range scan did not return " + RANGE + " rows");
      RlsLeadsTable.check(count(serverRlsPoint) == data.ids.length, "rls_point_lookups did not find every lead");
      RlsLeadsTable.check(count(serverExplicitPoint) == data.ids.length, "explicit_point_lookups did not find every lead");
      RlsLeadsTable.check(count(serverRlsRange) == (long) RANGE * data.ids.length, "rls_range_scans returned too few rows");
      RlsLeadsTable.check(count(serverExplicitRange) == (long) RANGE * data.ids.length, "explicit_range_scans returned too few rows");
    }

    /** The next of the tenant's ids, round robin. */
    UUID nextId(Data data) {
      UUID id = data.ids[next];
      next = next + 1 == data.ids.length ? 0 : next + 1;
      return id;
    }

    private <T extends AutoCloseable> T keep(T resource) {
      resources.add(0, resource);
      return resource;
    }

    /**
     * Returns the connections and leaves the scope.
     *
     * @throws Exception if closing fails
     */
    @TearDown(Level.Trial)
    public void close() throws Exception {
      for (AutoCloseable resource : resources) {
        resource.close();
      }
      if (scope != null) {
        scope.close();
      }
    }
  }

  /**
   * The benchmark thread inside a scope for the tenant, holding one connection per role on which index and bitmap
   * scans and parallel workers are switched off, for the sequential-scan benchmarks.
   */
  @State(Scope.Thread)
  public static class SequentialScan {

    private @Nullable TenantScope scope;
    private final List<AutoCloseable> resources = new ArrayList<>();
    PreparedStatement generatedPolicy;
    PreparedStatement barePolicy;
    PreparedStatement explicit;

    /** Creates the state; JMH instantiates it. */
    public SequentialScan() {
    }

    /**
     * Checks the connections out, forces sequential scans on them, and checks plans and counts.
     *
     * @param data the database
     * @throws SQLException if anything fails
     */
    @Setup(Level.Trial)
    public void open(Data data) throws SQLException {
      scope = TenantContext.enter(data.tenant);
      Connection generatedConnection = RlsLeadsTable.forceSequentialScan(keep(data.generated.getConnection()));
      Connection bareConnection = RlsLeadsTable.forceSequentialScan(keep(data.bare.getConnection()));
      Connection ownerConnection = RlsLeadsTable.forceSequentialScan(keep(data.owner.getConnection()));
      generatedPolicy = keep(generatedConnection.prepareStatement("SELECT count(*) FROM leads"));
      barePolicy = keep(bareConnection.prepareStatement("SELECT count(*) FROM leads"));
      explicit = keep(ownerConnection.prepareStatement("SELECT count(*) FROM leads WHERE organization_id = ?"));
      explicit.setObject(1, data.tenant.id().value());

      String plan = RlsLeadsTable.expectPlan(generatedConnection, "SELECT count(*) FROM leads", "Seq Scan on leads", "InitPlan");
      RlsLeadsTable.check(!plan.contains("current_setting"), "the generated policy is evaluated per row:\n" + plan);
      plan = RlsLeadsTable.expectPlan(bareConnection, "SELECT count(*) FROM leads", "Seq Scan on leads", "current_setting");
      RlsLeadsTable.check(!plan.contains("InitPlan"), "the bare policy has an InitPlan:\n" + plan);
      RlsLeadsTable.expectPlan(ownerConnection, "SELECT count(*) FROM leads WHERE organization_id = '" + data.tenant.id() + "'",
          "Seq Scan on leads");
      RlsLeadsTable.check(count(generatedPolicy) == ROWS_PER_TENANT, "the generated policy does not select the tenant's rows");
      RlsLeadsTable.check(count(barePolicy) == ROWS_PER_TENANT, "the bare policy does not select the tenant's rows");
      RlsLeadsTable.check(count(explicit) == ROWS_PER_TENANT, "the explicit predicate does not select the tenant's rows");
    }

    private <T extends AutoCloseable> T keep(T resource) {
      resources.add(0, resource);
      return resource;
    }

    /**
     * Returns the connections and leaves the scope.
     *
     * @throws Exception if closing fails
     */
    @TearDown(Level.Trial)
    public void close() throws Exception {
      for (AutoCloseable resource : resources) {
        resource.close();
      }
      if (scope != null) {
        scope.close();
      }
    }
  }

  /** Round trips per iteration ({@link RoundTripCounter}); every benchmark here must cost exactly one per call. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class RoundTrips {

    /** Benchmark operations in this iteration, counted by the benchmark methods. */
    public long operations;
    /** Requests flushed to PostgreSQL in this iteration. */
    public long roundTrips;
    private long before;

    /** Creates the state; JMH instantiates it. */
    public RoundTrips() {
    }

    /** Resets the counters. */
    @Setup(Level.Iteration)
    public void start() {
      operations = 0;
      before = RoundTripCounter.total();
    }

    /** Records the iteration's round trips and fails the run unless there was exactly one per operation. */
    @TearDown(Level.Iteration)
    public void stop() {
      roundTrips = RoundTripCounter.total() - before;
      RlsLeadsTable.check(roundTrips == operations, operations + " queries cost " + roundTrips + " round trips, not one each");
    }
  }

  /**
   * Point lookup under RLS: {@code WHERE id = ?}, the policy supplies the tenant.
   *
   * @param data the ids
   * @param session the prepared statements
   * @param counters the operation counter
   * @return the lead's name
   * @throws SQLException if the query fails
   */
  @Benchmark
  public @Nullable String pointLookupRls(Data data, Indexed session, RoundTrips counters) throws SQLException {
    counters.operations++;
    return pointLookup(session.rlsPoint, 1, session.nextId(data));
  }

  /**
   * Baseline: the same lookup with {@code WHERE organization_id = ? AND id = ?}, no RLS.
   *
   * @param data the ids
   * @param session the prepared statements
   * @param counters the operation counter
   * @return the lead's name
   * @throws SQLException if the query fails
   */
  @Benchmark
  public @Nullable String pointLookupExplicit(Data data, Indexed session, RoundTrips counters) throws SQLException {
    counters.operations++;
    return pointLookup(session.explicitPoint, 2, session.nextId(data));
  }

  /**
   * The tenant's first 100 leads by id under RLS.
   *
   * @param session the prepared statements
   * @param counters the operation counter
   * @param blackhole consumes the rows
   * @throws SQLException if the query fails
   */
  @Benchmark
  public void rangeScanRls(Indexed session, RoundTrips counters, Blackhole blackhole) throws SQLException {
    counters.operations++;
    range(session.rlsRange, blackhole);
  }

  /**
   * Baseline: the same 100 leads with {@code WHERE organization_id = ?}, no RLS.
   *
   * @param session the prepared statements
   * @param counters the operation counter
   * @param blackhole consumes the rows
   * @throws SQLException if the query fails
   */
  @Benchmark
  public void rangeScanExplicit(Indexed session, RoundTrips counters, Blackhole blackhole) throws SQLException {
    counters.operations++;
    range(session.explicitRange, blackhole);
  }

  /**
   * 1,000 point lookups under RLS inside one PL/pgSQL call: the executor's cost without the network.
   *
   * @param session the prepared statements
   * @param counters the operation counter
   * @return the number of leads found
   * @throws SQLException if the call fails
   */
  @Benchmark
  public long serverPointLookupsRls(Indexed session, RoundTrips counters) throws SQLException {
    counters.operations++;
    return count(session.serverRlsPoint);
  }

  /**
   * Baseline: the same 1,000 lookups with the explicit tenant predicate, no RLS.
   *
   * @param session the prepared statements
   * @param counters the operation counter
   * @return the number of leads found
   * @throws SQLException if the call fails
   */
  @Benchmark
  public long serverPointLookupsExplicit(Indexed session, RoundTrips counters) throws SQLException {
    counters.operations++;
    return count(session.serverExplicitPoint);
  }

  /**
   * 1,000 scans of 100 rows under RLS inside one PL/pgSQL call.
   *
   * @param session the prepared statements
   * @param counters the operation counter
   * @return the number of rows read
   * @throws SQLException if the call fails
   */
  @Benchmark
  public long serverRangeScansRls(Indexed session, RoundTrips counters) throws SQLException {
    counters.operations++;
    return count(session.serverRlsRange);
  }

  /**
   * Baseline: the same 1,000 scans with the explicit tenant predicate, no RLS.
   *
   * @param session the prepared statements
   * @param counters the operation counter
   * @return the number of rows read
   * @throws SQLException if the call fails
   */
  @Benchmark
  public long serverRangeScansExplicit(Indexed session, RoundTrips counters) throws SQLException {
    counters.operations++;
    return count(session.serverExplicitRange);
  }

  /**
   * Sequential scan of all 1,000,000 rows under the generated policy ({@code (select …)}, one InitPlan).
   *
   * @param session the prepared statements
   * @param counters the operation counter
   * @return the tenant's row count
   * @throws SQLException if the query fails
   */
  @Benchmark
  public long seqScanGeneratedPolicy(SequentialScan session, RoundTrips counters) throws SQLException {
    counters.operations++;
    return count(session.generatedPolicy);
  }

  /**
   * Sequential scan of all 1,000,000 rows under the bare policy ({@code current_setting()} per row).
   *
   * @param session the prepared statements
   * @param counters the operation counter
   * @return the tenant's row count
   * @throws SQLException if the query fails
   */
  @Benchmark
  public long seqScanBarePolicy(SequentialScan session, RoundTrips counters) throws SQLException {
    counters.operations++;
    return count(session.barePolicy);
  }

  /**
   * Baseline: sequential scan of all 1,000,000 rows with {@code WHERE organization_id = ?}, no RLS.
   *
   * @param session the prepared statements
   * @param counters the operation counter
   * @return the tenant's row count
   * @throws SQLException if the query fails
   */
  @Benchmark
  public long seqScanExplicit(SequentialScan session, RoundTrips counters) throws SQLException {
    counters.operations++;
    return count(session.explicit);
  }

  private static @Nullable String pointLookup(PreparedStatement statement, int idParameter, UUID id)
      throws SQLException {
    statement.setObject(idParameter, id);
    try (ResultSet rows = statement.executeQuery()) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  private static int range(PreparedStatement statement, Blackhole blackhole) throws SQLException {
    int read = 0;
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        blackhole.consume(rows.getObject(1, UUID.class));
        blackhole.consume(rows.getString(2));
        read++;
      }
    }
    return read;
  }

  private static int range(PreparedStatement statement) throws SQLException {
    int read = 0;
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        read++;
      }
    }
    return read;
  }

  private static long count(PreparedStatement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static UUID single(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      RlsLeadsTable.check(rows.next(), "no row for " + sql);
      return rows.getObject(1, UUID.class);
    }
  }
}
