package dev.tenancy.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.jdbc.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 * How long it takes to provision one tenant, per isolation strategy: one tenant per JMH single-shot iteration, 20
 * warm-up tenants then 200 measured ones, so JMH's percentiles are per-tenant p50/p95.
 *
 * <ul>
 *   <li>{@link #rowLevelSecurity} — nothing to create: the tenant's row in the tenants table, one INSERT committed.</li>
 *   <li>{@link #schemaPerTenantPostgres} — in one transaction: the tenant's row, {@code CREATE SCHEMA}, five tables of
 *       a small CRM (customers, contacts, leads, deals, activities: UUID primary keys, four foreign keys, six
 *       secondary indexes), and the application role's grants: 15 statements and the commit, each its own round trip,
 *       as a migration tool sends them.</li>
 *   <li>{@link #schemaPerTenantH2} — the same schema (without grants) on the embedded default, H2 in memory.</li>
 * </ul>
 * Schema names come from {@link SqlIdentifiers#tenantSchema}, as {@code SchemaPerTenant} names them. Each trial
 * runs on its own throw-away database ({@link BenchDatabase}) or H2 instance and checks at the end that every tenant
 * it provisioned exists. Catalogs grow by one schema, five tables and eleven indexes per tenant, so later tenants
 * show whether that growth slows provisioning down.
 *
 * <p>The class and its states are not {@code final} because JMH's generated code subclasses them. Fields of the
 * states are assigned by their {@code @Setup} methods, which JMH runs before any benchmark method sees them.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 20, batchSize = 1)
@Measurement(iterations = 200, batchSize = 1)
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.provider=" + BasicMdcServiceProvider.NAME)
public class TenantProvisioningBenchmark {

  static final String PREFIX = "tenant_";
  static final String TENANTS_TABLE = "CREATE TABLE tenancy_tenants (id uuid PRIMARY KEY,"
      + " slug varchar(63) NOT NULL UNIQUE, status varchar(16) NOT NULL,"
      + " created_at timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP)";
  static final String INSERT_TENANT = "INSERT INTO tenancy_tenants (id, slug, status) VALUES (?, ?, 'ACTIVE')";

  /** Creates the benchmark; JMH instantiates it. */
  public TenantProvisioningBenchmark() {
  }

  /** A throw-away PostgreSQL database and an H2 in-memory database, each with a tenants table and a pool. */
  @State(Scope.Benchmark)
  public static class Databases {

    BenchDatabase postgres;
    String appRole;
    HikariDataSource postgresPool;
    HikariDataSource h2Pool;

    /** Creates the state; JMH instantiates it. */
    public Databases() {
    }

    /**
     * Creates both databases and their tenants tables.
     *
     * @throws SQLException if H2 fails
     */
    @Setup(Level.Trial)
    public void create() throws SQLException {
      postgres = BenchDatabase.create();
      appRole = postgres.createApplicationRole("bench_app");
      postgres.execute(TENANTS_TABLE);
      postgresPool = postgres.pool(BenchDatabase.ADMIN_USER, 1);
      HikariConfig h2 = new HikariConfig();
      h2.setJdbcUrl("jdbc:h2:mem:bench_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
      h2.setMaximumPoolSize(1);
      h2.setMinimumIdle(1);
      h2.setPoolName("bench-h2");
      h2Pool = new HikariDataSource(h2);
      try (Connection connection = h2Pool.getConnection(); Statement statement = connection.createStatement()) {
        statement.execute(TENANTS_TABLE);
      }
    }

    /**
     * Checks that every tenant the trial provisioned is there, then drops both databases.
     *
     * @param params which benchmark ran, and how many iterations
     * @throws SQLException if the check cannot read the catalogs
     */
    @TearDown(Level.Trial)
    public void verifyAndDrop(BenchmarkParams params) throws SQLException {
      try {
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        long expected = (long) params.getWarmup().getCount() + params.getMeasurement().getCount();
        boolean h2 = method.endsWith("H2");
        try (Connection connection = (h2 ? h2Pool : postgresPool).getConnection()) {
          check(count(connection, "SELECT count(*) FROM tenancy_tenants") == expected,
              method + ": the tenants table does not hold " + expected + " tenants");
          if (method.startsWith("schemaPerTenant")) {
            String schemas = "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE '"
                + PREFIX.replace("_", "\\_") + "%'";
            String tables = "SELECT count(*) FROM information_schema.tables WHERE table_schema LIKE '"
                + PREFIX.replace("_", "\\_") + "%'";
            check(count(connection, schemas) == expected, method + ": not every tenant schema was created");
            check(count(connection, tables) == 5 * expected, method + ": not every tenant table was created");
          }
        }
      } finally {
        h2Pool.close();
        postgres.close();
      }
    }
  }

  /** The tenant the next iteration provisions; a new one per iteration. */
  @State(Scope.Thread)
  public static class NextTenant {

    TenantInfo tenant;
    private int number;

    /** Creates the state; JMH instantiates it. */
    public NextTenant() {
    }

    /** Makes up the next tenant. */
    @Setup(Level.Iteration)
    public void next() {
      number++;
      tenant = TenantInfo.of(TenantId.random(), TenantSlug.of("tenant-" + number));
    }
  }

  /**
   * Row-level security: the tenant's row, nothing else.
   *
   * @param databases the pool
   * @param next the tenant
   * @throws SQLException if the insert fails
   */
  @Benchmark
  public void rowLevelSecurity(Databases databases, NextTenant next) throws SQLException {
    try (Connection connection = databases.postgresPool.getConnection()) {
      insertTenant(connection, next.tenant);
    }
  }

  /**
   * Schema per tenant on PostgreSQL: the tenant's row, its schema and five tables, and the grants, in one transaction.
   *
   * @param databases the pool and the application role
   * @param next the tenant
   * @throws SQLException if a statement fails
   */
  @Benchmark
  public void schemaPerTenantPostgres(Databases databases, NextTenant next) throws SQLException {
    String schema = SqlIdentifiers.quote(SqlIdentifiers.tenantSchema(PREFIX, next.tenant.slug()));
    try (Connection connection = databases.postgresPool.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        insertTenant(connection, next.tenant);
        for (String sql : schemaStatements(schema, false)) {
          statement.execute(sql);
        }
        statement.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + databases.appRole);
        statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO "
            + databases.appRole);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /**
   * Schema per tenant on H2 in memory: the tenant's row, its schema and five tables, in one transaction.
   *
   * @param databases the pool
   * @param next the tenant
   * @throws SQLException if a statement fails
   */
  @Benchmark
  public void schemaPerTenantH2(Databases databases, NextTenant next) throws SQLException {
    String schema = SqlIdentifiers.quote(SqlIdentifiers.tenantSchema(PREFIX, next.tenant.slug()));
    try (Connection connection = databases.h2Pool.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        insertTenant(connection, next.tenant);
        for (String sql : schemaStatements(schema, true)) {
          statement.execute(sql);
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /**
   * The tenant schema: five tables with UUID keys, foreign keys and secondary indexes. H2 wants index names
   * qualified with the table's schema; PostgreSQL refuses a qualified index name and puts the index there anyway.
   */
  static List<String> schemaStatements(String schema, boolean qualifyIndexes) {
    String index = qualifyIndexes ? schema + "." : "";
    String now = "timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP";
    return List.of(
        "CREATE SCHEMA " + schema,
        "CREATE TABLE " + schema + ".customers (id uuid PRIMARY KEY, name varchar(200) NOT NULL,"
            + " email varchar(320), created_at " + now + ")",
        "CREATE UNIQUE INDEX " + index + "customers_email ON " + schema + ".customers (email)",
        "CREATE TABLE " + schema + ".contacts (id uuid PRIMARY KEY,"
            + " customer_id uuid NOT NULL REFERENCES " + schema + ".customers (id),"
            + " name varchar(200) NOT NULL, email varchar(320))",
        "CREATE INDEX " + index + "contacts_customer ON " + schema + ".contacts (customer_id)",
        "CREATE TABLE " + schema + ".leads (id uuid PRIMARY KEY,"
            + " customer_id uuid REFERENCES " + schema + ".customers (id),"
            + " status varchar(32) NOT NULL, created_at " + now + ")",
        "CREATE INDEX " + index + "leads_customer ON " + schema + ".leads (customer_id)",
        "CREATE TABLE " + schema + ".deals (id uuid PRIMARY KEY,"
            + " lead_id uuid NOT NULL REFERENCES " + schema + ".leads (id),"
            + " amount numeric(12, 2) NOT NULL, stage varchar(32) NOT NULL)",
        "CREATE INDEX " + index + "deals_lead ON " + schema + ".deals (lead_id)",
        "CREATE TABLE " + schema + ".activities (id uuid PRIMARY KEY,"
            + " deal_id uuid NOT NULL REFERENCES " + schema + ".deals (id),"
            + " contact_id uuid REFERENCES " + schema + ".contacts (id),"
            + " happened_at timestamp with time zone NOT NULL, note varchar(2000))",
        "CREATE INDEX " + index + "activities_deal ON " + schema + ".activities (deal_id)",
        "CREATE INDEX " + index + "activities_contact ON " + schema + ".activities (contact_id)");
  }

  private static void insertTenant(Connection connection, TenantInfo tenant) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT_TENANT)) {
      statement.setObject(1, tenant.id().value());
      statement.setString(2, tenant.slug().value());
      statement.executeUpdate();
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void check(boolean condition, String failure) {
    if (!condition) {
      throw new IllegalStateException(failure);
    }
  }
}
