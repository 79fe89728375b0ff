package dev.tenancy.benchmarks.scale;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.benchmarks.BenchDatabase;
import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.Tier;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.quota.QuotaDecision;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.quota.QuotaPermit;
import dev.tenancy.jdbc.RlsPolicies;
import dev.tenancy.jdbc.RowLevelSecurity;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.jdbc.provisioning.CreateSchemaStep;
import dev.tenancy.jdbc.store.JdbcTenantStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The library as an application wires it, on a throw-away PostgreSQL database: {@link JdbcTenantStore} (with its
 * cache and change listener), {@link TenantService}, an in-memory {@link QuotaManager} and a
 * {@link TenantAwareDataSource} over a non-owner application role, in row-level-security or schema-per-tenant mode.
 *
 * <p>A request ({@link #request}) is what a tenant API call does in the library: look the tenant up (store cache),
 * resolve its configuration, open a {@link TenantContext} scope, take a quota permit, check out a tenant-bound
 * connection and run one query on the tenant's {@code leads}, checking that exactly the tenant's own two open leads
 * are seen.
 */
final class ScaleFixture implements AutoCloseable {

  /** Tier of every tenant: limits no benchmark reaches, so every check is admitted and quota state is kept. */
  static final String TIER = "scale";
  private static final String QUERY = "SELECT count(*) FROM leads WHERE status = ?";
  private static final int LEADS_PER_TENANT = 5;
  private static final long OPEN_LEADS = 2;
  /** Each live store holds one connection for LISTEN; at most three libraries are open at once. */
  private static final int ADMIN_CONNECTIONS = 6;

  private final ScaleMode mode;
  private final BenchDatabase database;
  private final String appRole;
  private final HikariDataSource adminPool;
  private final TenantConfigurationResolver resolver;
  private final Path migrations;
  private final Library provisioning;

  private ScaleFixture(ScaleMode mode, BenchDatabase database) throws IOException {
    this.mode = mode;
    this.database = database;
    this.appRole = database.createApplicationRole("scale_app");
    TierCatalog catalog = TierCatalog.builtIn().toBuilder()
        .tier(new Tier(TIER, Map.of("requestsPerSecond", 1_000_000_000L, "apiCallsPerMonth", 1_000_000_000_000L,
            "maxConcurrentRequests", 1_000L), Map.of()))
        .build();
    this.resolver = TenantConfigurationResolver.of(catalog, EnvironmentOverrides.none());
    this.migrations = Files.createTempDirectory("tenancy-scale-migrations");
    if (mode == ScaleMode.RLS) {
      // One shared table; its rows are seeded for all tenants at once after provisioning (seedRlsLeads).
      database.execute("CREATE TABLE leads (organization_id uuid NOT NULL, id uuid NOT NULL,"
          + " status varchar(32) NOT NULL, PRIMARY KEY (organization_id, id))");
      this.adminPool = database.pool(BenchDatabase.ADMIN_USER, ADMIN_CONNECTIONS);
      try (Connection owner = adminPool.getConnection()) {
        RlsPolicies.builder().tables("leads").applicationRole(appRole).build().apply(owner);
      } catch (SQLException e) {
        throw new IllegalStateException("Could not apply the RLS policies: " + e.getMessage(), e);
      }
    } else {
      writeTenantMigrations(migrations);
      this.adminPool = database.pool(BenchDatabase.ADMIN_USER, ADMIN_CONNECTIONS);
    }
    this.provisioning = new Library();
  }

  /**
   * Creates the database, its roles, tables and policies, and the library's objects.
   *
   * @param mode isolation mode
   * @param database a fresh database, closed by {@link #close()}
   * @return the fixture
   * @throws IOException if the migration files cannot be written
   */
  static ScaleFixture create(ScaleMode mode, BenchDatabase database) throws IOException {
    return new ScaleFixture(mode, database);
  }

  /**
   * Builds another instance of the library — store, service, quota manager, tenant-bound DataSource — on the same
   * database and pools, with nothing cached yet.
   *
   * @return the library, closed by the caller
   */
  Library openLibrary() {
    return new Library();
  }

  /**
   * Provisions one tenant through {@link TenantService#create}.
   *
   * @param number the tenant's number, for its slug
   * @return its id
   */
  TenantId provision(int number) {
    Tenant tenant = provisioning.service.create(NewTenant.of(slug(number), "Scale tenant " + number).withTier(TIER)
        .withInitialStatus(TenantStatus.ACTIVE));
    return tenant.id();
  }

  /**
   * The slug of tenant {@code number}.
   *
   * @param number the tenant's number
   * @return {@code t-000042}
   */
  static String slug(int number) {
    return String.format("t-%06d", number);
  }

  /** RLS mode: gives every tenant its five leads, two of them open, in one statement as the owner. */
  void seedRlsLeads() {
    if (mode == ScaleMode.RLS) {
      database.execute("INSERT INTO leads (organization_id, id, status)"
          + " SELECT t.id, md5(t.id::text || g)::uuid, CASE WHEN g % 2 = 0 THEN 'open' ELSE 'won' END"
          + " FROM tenancy.tenants t, generate_series(1, " + LEADS_PER_TENANT + ") g",
          "ANALYZE leads");
    }
  }

  /**
   * Counts the tenants the store's table holds as active, to check provisioning.
   *
   * @return the count
   */
  long activeTenants() {
    try (Connection connection = adminPool.getConnection();
        PreparedStatement statement = connection.prepareStatement(
            "SELECT count(*) FROM tenancy.tenants WHERE status = 'ACTIVE'");
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not count tenants: " + e.getMessage(), e);
    }
  }

  /** Closes the library's objects, drops the database and deletes the migration files. */
  @Override
  public void close() {
    try {
      provisioning.close();
    } finally {
      database.close();
      try (Stream<Path> files = Files.walk(migrations)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        // Only temporary files are left behind.
      }
    }
  }

  /**
   * Schema mode: the same five-table CRM as {@code TenantProvisioningBenchmark} (UUID keys, four foreign keys, six
   * secondary indexes), the application role's grants, and the five seed leads, as Flyway migrations.
   */
  private static void writeTenantMigrations(Path directory) throws IOException {
    String now = "timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP";
    String crm = String.join(";\n",
        "CREATE TABLE customers (id uuid PRIMARY KEY, name varchar(200) NOT NULL, email varchar(320),"
            + " created_at " + now + ")",
        "CREATE UNIQUE INDEX customers_email ON customers (email)",
        "CREATE TABLE contacts (id uuid PRIMARY KEY, customer_id uuid NOT NULL REFERENCES customers (id),"
            + " name varchar(200) NOT NULL, email varchar(320))",
        "CREATE INDEX contacts_customer ON contacts (customer_id)",
        "CREATE TABLE leads (id uuid PRIMARY KEY, customer_id uuid REFERENCES customers (id),"
            + " status varchar(32) NOT NULL, created_at " + now + ")",
        "CREATE INDEX leads_customer ON leads (customer_id)",
        "CREATE TABLE deals (id uuid PRIMARY KEY, lead_id uuid NOT NULL REFERENCES leads (id),"
            + " amount numeric(12, 2) NOT NULL, stage varchar(32) NOT NULL)",
        "CREATE INDEX deals_lead ON deals (lead_id)",
        "CREATE TABLE activities (id uuid PRIMARY KEY, deal_id uuid NOT NULL REFERENCES deals (id),"
            + " contact_id uuid REFERENCES contacts (id), happened_at timestamp with time zone NOT NULL,"
            + " note varchar(2000))",
        "CREATE INDEX activities_deal ON activities (deal_id)",
        "CREATE INDEX activities_contact ON activities (contact_id)",
        "GRANT USAGE ON SCHEMA \"${tenant_schema}\" TO ${app_role}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \"${tenant_schema}\" TO ${app_role}",
        "INSERT INTO leads (id, status) SELECT md5('${tenant_id}' || g)::uuid,"
            + " CASE WHEN g % 2 = 0 THEN 'open' ELSE 'won' END FROM generate_series(1, " + LEADS_PER_TENANT + ") g")
        + ";\n";
    Files.writeString(directory.resolve("V1__crm.sql"), crm, StandardCharsets.UTF_8);
  }

  /**
   * One instance of the library as an application holds it. A request ({@link #request}) is what a tenant API call
   * does in the library (see the class comment).
   */
  final class Library implements AutoCloseable {

    private final JdbcTenantStore store;
    private final TenantService service;
    private final QuotaManager quotas;
    private final TenantAwareDataSource tenantData;
    private final HikariDataSource appPool;

    private Library() {
      // Its own pool: two libraries sharing a connection would each trust their own record of its tenant binding.
      appPool = database.pool(appRole, 1);
      // A long TTL: an idle tenant stays cached for the whole run, which is the most heap the cache can hold.
      store = JdbcTenantStore.builder().dataSource(adminPool).cacheTtl(Duration.ofHours(1)).build();
      TenantService.Builder builder = TenantService.builder().store(store).resolver(resolver);
      if (mode == ScaleMode.SCHEMA) {
        builder.step(CreateSchemaStep.builder().dataSource(adminPool)
            .locations("filesystem:" + migrations.toAbsolutePath())
            .placeholders(Map.of("app_role", appRole))
            .build());
        tenantData = TenantAwareDataSource.of(SchemaPerTenant.builder(appPool).build());
      } else {
        tenantData = TenantAwareDataSource.of(RowLevelSecurity.builder(appPool).build());
      }
      service = builder.build();
      quotas = QuotaManager.builder().store(new InMemoryQuotaStore()).build();
    }

    /**
     * One tenant request through the library (see the class comment).
     *
     * @param id the tenant
     * @throws SQLException if the query fails
     * @throws IllegalStateException if the tenant is unknown, the quota refuses, or the query sees other rows than the
     *     tenant's own
     */
    void request(TenantId id) throws SQLException {
      Tenant tenant = service.find(id).orElseThrow(() -> new IllegalStateException("unknown tenant " + id));
      TenantInfo info = service.info(tenant);
      try (TenantScope scope = TenantContext.enter(info)) {
        QuotaDecision decision = quotas.check(info);
        if (!decision.isAllowed()) {
          throw new IllegalStateException("quota refused " + id + ": " + decision);
        }
        try (QuotaPermit permit = decision.permit();
            Connection connection = tenantData.getConnection();
            PreparedStatement statement = connection.prepareStatement(QUERY)) {
          statement.setString(1, "open");
          try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            long open = rows.getLong(1);
            if (open != OPEN_LEADS) {
              throw new IllegalStateException("tenant " + id + " saw " + open + " open leads, expected " + OPEN_LEADS);
            }
          }
        }
      }
    }

    /**
     * The library's part of a request alone, without the database: look-up, configuration, scope, quota permit.
     *
     * @param id the tenant
     * @return whether the quota admitted it (always, at the scale tier's limits)
     */
    boolean requestInMemory(TenantId id) {
      Tenant tenant = service.find(id).orElseThrow(() -> new IllegalStateException("unknown tenant " + id));
      TenantInfo info = service.info(tenant);
      try (TenantScope scope = TenantContext.enter(info)) {
        QuotaDecision decision = quotas.check(info);
        try (QuotaPermit permit = decision.permit()) {
          return decision.isAllowed();
        }
      }
    }

    /**
     * Also loads the tenant's slug into the store's cache (the other key it caches by), as a request resolved from a
     * subdomain would.
     *
     * @param number the tenant's number
     */
    void lookUpBySlug(int number) {
      if (service.findBySlug(TenantSlug.of(slug(number))).isEmpty()) {
        throw new IllegalStateException("no tenant with slug " + slug(number));
      }
    }

    /**
     * Closes the quota manager, the DataSource wrapper, its pool and the store (its change listener), so that the
     * heap an instance leaves behind is garbage.
     */
    @Override
    public void close() {
      quotas.close();
      tenantData.close();
      appPool.close();
      store.close();
    }
  }
}
