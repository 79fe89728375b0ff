package dev.tenancy.jdbc.provisioning;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.spi.ProvisioningStep;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.internal.TenantMigrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Creates a tenant's schema and runs the application's tenant-schema Flyway migrations in it, for the schema-per-tenant
 * strategy on PostgreSQL or H2; {@link #deprovision} drops the schema with everything in it.
 *
 * <p>The schema is named by {@link SqlIdentifiers#tenantSchema(String, TenantSlug)} — prefix plus slug, hyphens as
 * underscores ({@code acme-realty} → {@code tenant_acme_realty}) — and always quoted. Flyway's history table lives in
 * the tenant's schema, so each tenant is migrated on its own and a failed migration leaves the others untouched. Both
 * methods are idempotent: provisioning again creates nothing and applies only migrations that are still pending
 * (which is also how to upgrade a tenant after a release). A failing migration throws, so {@code TenantService}
 * compensates by dropping the schema.
 *
 * <p>On H2 the step creates and drops one schema at a time: H2 locks its catalogue for each schema change, and
 * migrations of several tenants at once failed with "Timeout trying to lock table SYS". PostgreSQL runs them in
 * parallel.
 *
 * <p>The DataSource must be the raw (admin) one, with the right to create schemas — never a tenant-bound one. On
 * PostgreSQL the schema and its tables belong to that role; grant the application role what it needs from a
 * migration, e.g. {@code GRANT USAGE ON SCHEMA "${tenant_schema}" TO app}.
 *
 * <pre>{@code
 * ProvisioningStep schema = CreateSchemaStep.builder()
 *     .dataSource(adminDataSource)
 *     .locations("classpath:db/tenant")
 *     .build();
 * }</pre>
 */
public final class CreateSchemaStep implements ProvisioningStep {

  private final DataSource dataSource;
  private final String schemaPrefix;
  private final TenantMigrations migrations;
  private final ReentrantLock h2Catalogue = new ReentrantLock();
  private volatile @Nullable Boolean h2;

  private CreateSchemaStep(DataSource dataSource, String schemaPrefix, TenantMigrations migrations) {
    this.dataSource = dataSource;
    this.schemaPrefix = schemaPrefix;
    this.migrations = migrations;
  }

  /** @return a builder; only {@link Builder#dataSource} is required */
  public static Builder builder() {
    return new Builder();
  }

  /** @return {@code schema} */
  @Override
  public String name() {
    return "schema";
  }

  /**
   * The schema a tenant gets.
   *
   * @param slug the tenant's slug
   * @return the unquoted schema name, e.g. {@code tenant_acme_realty}
   */
  public String schemaName(TenantSlug slug) {
    return SqlIdentifiers.tenantSchema(schemaPrefix, Objects.requireNonNull(slug, "slug"));
  }

  /**
   * Creates the schema if it is missing and applies the pending migrations.
   *
   * @param tenant the tenant
   * @throws SQLException if the schema cannot be created
   * @throws org.flywaydb.core.api.FlywayException if a migration fails
   */
  @Override
  public void provision(Tenant tenant) throws SQLException {
    String schema = schemaName(tenant.slug());
    boolean serial = lockOnH2();
    try {
      execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(schema));
      migrations.migrate(TenantMigrations.configure().dataSource(dataSource).createSchemas(false), tenant, schema);
    } finally {
      if (serial) {
        h2Catalogue.unlock();
      }
    }
  }

  /**
   * Drops the schema and everything in it, if it exists.
   *
   * @param tenant the tenant
   * @throws SQLException if the schema cannot be dropped
   */
  @Override
  public void deprovision(Tenant tenant) throws SQLException {
    boolean serial = lockOnH2();
    try {
      execute("DROP SCHEMA IF EXISTS " + SqlIdentifiers.quote(schemaName(tenant.slug())) + " CASCADE");
    } finally {
      if (serial) {
        h2Catalogue.unlock();
      }
    }
  }

  /** Takes the catalogue lock when the database is H2 (asked once); returns whether it did. */
  private boolean lockOnH2() throws SQLException {
    Boolean known = h2;
    if (known == null) {
      try (Connection connection = dataSource.getConnection()) {
        known = "H2".equals(connection.getMetaData().getDatabaseProductName());
      }
      h2 = known;
    }
    if (known) {
      h2Catalogue.lock();
    }
    return known;
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      if (!connection.getAutoCommit()) {
        statement.execute(sql);
        connection.commit();
      } else {
        statement.execute(sql);
      }
    }
  }

  @Override
  public String toString() {
    return "CreateSchemaStep[prefix=" + schemaPrefix + ", migrations=" + migrations + "]";
  }

  /** Configures a {@link CreateSchemaStep}; {@link #build()} checks the options. */
  public static final class Builder {

    private @Nullable DataSource dataSource;
    private String schemaPrefix = "tenant_";
    private List<String> locations = List.of(TenantMigrations.DEFAULT_LOCATION);
    private String historyTable = "flyway_schema_history";
    private Map<String, String> placeholders = Map.of();

    private Builder() {
    }

    /**
     * The raw (admin) DataSource that may create and drop schemas; never a tenant-bound one.
     *
     * @param dataSource a PostgreSQL or H2 DataSource
     * @return this builder
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * The prefix of every tenant schema; must match the one the schema-per-tenant DataSource uses.
     *
     * @param prefix 1 to 21 characters a-z, 0-9 or {@code _}, starting with a letter; default {@code tenant_}
     * @return this builder
     */
    public Builder schemaPrefix(String prefix) {
      this.schemaPrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * Where the tenant-schema migrations are, in Flyway's notation.
     *
     * @param flywayLocations e.g. {@code classpath:db/tenant} (the default) or {@code filesystem:/srv/sql}
     * @return this builder
     */
    public Builder locations(String... flywayLocations) {
      this.locations = List.copyOf(Arrays.asList(flywayLocations));
      return this;
    }

    /**
     * The name of Flyway's history table inside each tenant schema.
     *
     * @param table lower-case letters, digits and {@code _}; default {@code flyway_schema_history}
     * @return this builder
     */
    public Builder historyTable(String table) {
      this.historyTable = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * Extra Flyway placeholders for the migrations, next to {@code tenant_id}, {@code tenant_slug} and
     * {@code tenant_schema}.
     *
     * @param values placeholder names and values
     * @return this builder
     */
    public Builder placeholders(Map<String, String> values) {
      this.placeholders = Map.copyOf(values);
      return this;
    }

    /**
     * @return the step
     * @throws IllegalStateException if no DataSource was given
     * @throws IllegalArgumentException if the prefix, a location or the history table is malformed
     */
    public CreateSchemaStep build() {
      DataSource source = dataSource;
      if (source == null) {
        throw new IllegalStateException("CreateSchemaStep needs the admin DataSource: call dataSource(...)");
      }
      // Validates the prefix now rather than at the first tenant.
      SqlIdentifiers.tenantSchema(schemaPrefix, TenantSlug.of("probe"));
      return new CreateSchemaStep(source, schemaPrefix, new TenantMigrations(locations, historyTable, placeholders));
    }
  }
}
