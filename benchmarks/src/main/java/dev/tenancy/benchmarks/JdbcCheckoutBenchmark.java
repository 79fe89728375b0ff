package dev.tenancy.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.jdbc.BindingStatistics;
import dev.tenancy.jdbc.RowLevelSecurity;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What a checkout through {@link TenantAwareDataSource} with {@link RowLevelSecurity} costs, next to a bare HikariCP
 * checkout from the same pool, in round trips and in nanoseconds.
 *
 * <p>Each trial runs on its own throw-away PostgreSQL database ({@link BenchDatabase}) through a HikariCP pool of
 * <b>one</b> connection, as a non-owner application role without BYPASSRLS, so every checkout gets the same physical
 * connection and a tenant switch is a switch on that connection. Round trips are counted twice, on the wire by
 * {@link RoundTripCounter} and by the wrapper's own {@link BindingStatistics}; both are reported per iteration as
 * JMH secondary results ({@code operations}, {@code roundTrips}, {@code bindingStatements}) and each iteration fails
 * the run if they differ from what the benchmark is supposed to cost (see {@link RoundTrips#EXPECTED}).
 *
 * <ul>
 *   <li>{@link #rawCheckoutClose} — <b>baseline</b>: {@code pool.getConnection().close()}.</li>
 *   <li>{@link #wrapperSameTenant} — the same through the wrapper, inside a scope for the tenant the connection is
 *       already bound to: must send nothing.</li>
 *   <li>{@link #wrapperAlternatingTenants} — every checkout for the other of two tenants (a scope entered per call):
 *       exactly one binding statement each.</li>
 *   <li>{@link #naiveSetOnCheckoutResetOnReturn} — binding by hand the naive way: {@code set_config} after checkout
 *       and a reset before returning the connection, two round trips.</li>
 *   <li>{@link #rawCheckoutOneStatement} — reference: a bare checkout plus the one {@code set_config} statement,
 *       i.e. the price of one round trip on this machine.</li>
 * </ul>
 *
 * <p>The class and its states are not {@code final} because JMH's generated code subclasses them. Fields of the
 * states are assigned by their {@code @Setup} methods, which JMH runs before any benchmark method sees them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.provider=" + BasicMdcServiceProvider.NAME)
public class JdbcCheckoutBenchmark {

  static final TenantInfo ACME =
      TenantInfo.of(TenantId.of("3f2b8c1e-6d4a-4f1b-9c7e-2a5d8e0f1b3c"), TenantSlug.of("acme"));
  static final TenantInfo GLOBEX =
      TenantInfo.of(TenantId.of("9a1c7e5b-2f3d-4e6a-8b0c-d4e2f6a8b1c9"), TenantSlug.of("globex"));
  private static final String ACME_TEXT = ACME.id().toString();
  /** The statement {@link RowLevelSecurity} sends to bind a connection. */
  private static final String SET_TENANT = "select set_config(?, ?, false)";

  /** Creates the benchmark; JMH instantiates it. */
  public JdbcCheckoutBenchmark() {
  }

  /** A throw-away database, an application role, a one-connection pool and the wrapper around it. */
  @State(Scope.Benchmark)
  public static class Database {

    BenchDatabase database;
    HikariDataSource pool;
    TenantAwareDataSource tenantAware;

    /** Creates the state; JMH instantiates it. */
    public Database() {
    }

    /** Creates the database and the role, and opens the pool's single connection. */
    @Setup(Level.Trial)
    public void open() {
      database = BenchDatabase.create();
      String appRole = database.createApplicationRole("bench_app");
      pool = database.pool(appRole, 1);
      tenantAware = TenantAwareDataSource.of(RowLevelSecurity.builder(pool).build());
    }

    /** Closes the pool and drops the database and the role. */
    @TearDown(Level.Trial)
    public void close() {
      database.close();
    }
  }

  /**
   * The benchmark thread inside a scope for {@link #ACME}, opened once per trial on that thread, with the pool's
   * connection already bound to ACME by one checkout made before measuring.
   */
  @State(Scope.Thread)
  public static class AcmeScope {

    private @Nullable TenantScope scope;

    /** Creates the state; JMH instantiates it. */
    public AcmeScope() {
    }

    /**
     * Enters the scope and binds the connection once.
     *
     * @param database the pool and wrapper
     * @throws SQLException if the binding checkout fails
     */
    @Setup(Level.Trial)
    public void enter(Database database) throws SQLException {
      scope = TenantContext.enter(ACME);
      database.tenantAware.getConnection().close();
    }

    /** Closes the scope; this throws if JMH moved the state to another thread. */
    @TearDown(Level.Trial)
    public void exit() {
      if (scope != null) {
        scope.close();
      }
    }
  }

  /** Hands out ACME and GLOBEX in turn, so that every checkout is a tenant switch. */
  @State(Scope.Thread)
  public static class Alternation {

    private boolean acmeNext;

    /** Creates the state; JMH instantiates it. */
    public Alternation() {
    }

    TenantInfo next() {
      acmeNext = !acmeNext;
      return acmeNext ? ACME : GLOBEX;
    }
  }

  /**
   * Round trips per iteration, on the wire and as the wrapper counts them, reported next to the number of operations
   * and checked against what each benchmark must cost.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class RoundTrips {

    /** Per benchmark: {wire round trips, binding statements} per operation. */
    static final Map<String, long[]> EXPECTED = Map.of(
        "rawCheckoutClose", new long[] {0, 0},
        "wrapperSameTenant", new long[] {0, 0},
        "wrapperAlternatingTenants", new long[] {1, 1},
        "naiveSetOnCheckoutResetOnReturn", new long[] {2, 0},
        "rawCheckoutOneStatement", new long[] {1, 0});

    /** Benchmark operations in this iteration, counted by the benchmark methods. */
    public long operations;
    /** Requests flushed to PostgreSQL in this iteration ({@link RoundTripCounter}). */
    public long roundTrips;
    /** Binding statements the wrapper reports for this iteration ({@link BindingStatistics}). */
    public long bindingStatements;

    private long wireBefore;
    private BindingStatistics bindingBefore = new BindingStatistics(0, 0, 0);

    /** Creates the state; JMH instantiates it. */
    public RoundTrips() {
    }

    /**
     * Resets the counters.
     *
     * @param database where the wrapper's statistics come from
     */
    @Setup(Level.Iteration)
    public void start(Database database) {
      operations = 0;
      roundTrips = 0;
      bindingStatements = 0;
      wireBefore = RoundTripCounter.total();
      bindingBefore = database.tenantAware.statistics();
    }

    /**
     * Records the iteration's round trips and fails the run if they are not what the benchmark must cost.
     *
     * @param database where the wrapper's statistics come from
     * @param params which benchmark is running
     */
    @TearDown(Level.Iteration)
    public void stop(Database database, BenchmarkParams params) {
      roundTrips = RoundTripCounter.total() - wireBefore;
      bindingStatements = database.tenantAware.statistics().bindingStatements() - bindingBefore.bindingStatements();
      String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
      long[] expected = EXPECTED.get(method);
      if (expected == null) {
        throw new IllegalStateException("No expected round trips for " + method + "; add it to RoundTrips.EXPECTED");
      }
      if (roundTrips != expected[0] * operations || bindingStatements != expected[1] * operations) {
        throw new IllegalStateException(method + " was expected to cost " + expected[0] + " round trip(s) and "
            + expected[1] + " binding statement(s) per operation, but " + operations + " operations cost "
            + roundTrips + " round trips and " + bindingStatements + " binding statements");
      }
    }
  }

  /**
   * Baseline: a bare checkout and return.
   *
   * @param database the pool
   * @param counters the operation counter
   * @throws SQLException if the pool fails
   */
  @Benchmark
  public void rawCheckoutClose(Database database, RoundTrips counters) throws SQLException {
    database.pool.getConnection().close();
    counters.operations++;
  }

  /**
   * A checkout through the wrapper for the tenant the connection is already bound to.
   *
   * @param database the wrapper
   * @param scope the open tenant scope
   * @param counters the operation counter
   * @throws SQLException if the pool fails
   */
  @Benchmark
  public void wrapperSameTenant(Database database, AcmeScope scope, RoundTrips counters) throws SQLException {
    database.tenantAware.getConnection().close();
    counters.operations++;
  }

  /**
   * A checkout through the wrapper for the other tenant than the previous one, in a scope entered for the call.
   *
   * @param database the wrapper
   * @param alternation which tenant is next
   * @param counters the operation counter
   * @throws SQLException if the pool or the binding statement fails
   */
  @Benchmark
  public void wrapperAlternatingTenants(Database database, Alternation alternation, RoundTrips counters)
      throws SQLException {
    try (TenantScope scope = TenantContext.enter(alternation.next())) {
      database.tenantAware.getConnection().close();
    }
    counters.operations++;
  }

  /**
   * The naive binding: set the tenant after checkout, reset it before returning the connection.
   *
   * @param database the pool
   * @param counters the operation counter
   * @throws SQLException if the pool or a statement fails
   */
  @Benchmark
  public void naiveSetOnCheckoutResetOnReturn(Database database, RoundTrips counters) throws SQLException {
    try (Connection connection = database.pool.getConnection()) {
      setTenant(connection, ACME_TEXT);
      setTenant(connection, "");
    }
    counters.operations++;
  }

  /**
   * Reference: a bare checkout with the one binding statement, the cost of a single round trip.
   *
   * @param database the pool
   * @param counters the operation counter
   * @throws SQLException if the pool or the statement fails
   */
  @Benchmark
  public void rawCheckoutOneStatement(Database database, RoundTrips counters) throws SQLException {
    try (Connection connection = database.pool.getConnection()) {
      setTenant(connection, ACME_TEXT);
    }
    counters.operations++;
  }

  /** The statement the wrapper sends, prepared the same way, through the pool's proxy. */
  private static void setTenant(Connection connection, String value) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SET_TENANT)) {
      statement.setString(1, RowLevelSecurity.DEFAULT_SETTING);
      statement.setString(2, value);
      statement.execute();
    }
  }
}
