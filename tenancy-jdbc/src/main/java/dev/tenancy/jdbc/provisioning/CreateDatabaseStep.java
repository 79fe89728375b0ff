package dev.tenancy.jdbc.provisioning;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.spi.ProvisioningStep;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.internal.TenantMigrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Creates a PostgreSQL database for a tenant and runs the application's tenant migrations in it, for the
 * database-per-tenant strategy; {@link #deprovision} drops it with {@code DROP DATABASE … WITH (FORCE)}, which also
 * ends sessions still connected to it (PostgreSQL 13+).
 *
 * <p>The database is named like a tenant schema — prefix plus slug, hyphens as underscores, always quoted — and reached
 * for migrating through a URL template in which {@code {database}} stands for that name. {@code CREATE DATABASE}
 * cannot run in a transaction, so the step checks {@code pg_database} first and treats "already exists" as done:
 * running it again creates nothing and applies only pending migrations.
 *
 * <pre>{@code
 * ProvisioningStep database = CreateDatabaseStep.builder()
 *     .adminDataSource(adminDataSource)                          // a role with CREATEDB, on the maintenance database
 *     .urlTemplate("jdbc:postgresql://db:5432/{database}")
 *     .credentials("tenancy_admin", adminPassword)
 *     .locations("classpath:db/tenant")
 *     .build();
 * }</pre>
 */
public final class CreateDatabaseStep implements ProvisioningStep {

  /** The placeholder for the database name in a URL template. */
  public static final String DATABASE_PLACEHOLDER = "{database}";

  private static final String DUPLICATE_DATABASE = "42P04";

  private final DataSource adminDataSource;
  private final String databasePrefix;
  private final String urlTemplate;
  private final @Nullable String user;
  private final @Nullable String password;
  private final TenantMigrations migrations;

  private CreateDatabaseStep(Builder builder, DataSource adminDataSource, TenantMigrations migrations) {
    this.adminDataSource = adminDataSource;
    this.databasePrefix = builder.databasePrefix;
    this.urlTemplate = builder.urlTemplate;
    this.user = builder.user;
    this.password = builder.password;
    this.migrations = migrations;
  }

  /** @return a builder; the admin DataSource and the URL template are required */
  public static Builder builder() {
    return new Builder();
  }

  /** @return {@code database} */
  @Override
  public String name() {
    return "database";
  }

  /**
   * The database a tenant gets.
   *
   * @param slug the tenant's slug
   * @return the unquoted database name, e.g. {@code tenant_acme_realty}
   */
  public String databaseName(TenantSlug slug) {
    return SqlIdentifiers.tenantSchema(databasePrefix, Objects.requireNonNull(slug, "slug"));
  }

  /**
   * The JDBC URL of a tenant's database.
   *
   * @param slug the tenant's slug
   * @return the URL template with the database name filled in
   */
  public String url(TenantSlug slug) {
    return urlTemplate.replace(DATABASE_PLACEHOLDER, databaseName(slug));
  }

  /**
   * Creates the database if it is missing and applies the pending migrations in its {@code public} schema.
   *
   * @param tenant the tenant
   * @throws SQLException if the database cannot be created
   * @throws org.flywaydb.core.api.FlywayException if a migration fails
   */
  @Override
  public void provision(Tenant tenant) throws SQLException {
    String database = databaseName(tenant.slug());
    try (Connection connection = adminConnection()) {
      if (!exists(connection, database)) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("CREATE DATABASE " + SqlIdentifiers.quote(database));
        } catch (SQLException e) {
          // Another run created it between our check and our CREATE: that is the outcome we wanted.
          if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
            throw e;
          }
        }
      }
    }
    migrations.migrate(TenantMigrations.configure().dataSource(url(tenant.slug()), user, password), tenant, "public");
  }

  /**
   * Drops the database, ending the sessions still connected to it, if it exists.
   *
   * @param tenant the tenant
   * @throws SQLException if the database cannot be dropped
   */
  @Override
  public void deprovision(Tenant tenant) throws SQLException {
    try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + SqlIdentifiers.quote(databaseName(tenant.slug()))
          + " WITH (FORCE)");
    }
  }

  private Connection adminConnection() throws SQLException {
    Connection connection = adminDataSource.getConnection();
    try {
      if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
        throw new TenancyConfigurationException("CreateDatabaseStep needs PostgreSQL, but its admin DataSource connects"
            + " to " + connection.getMetaData().getDatabaseProductName() + "; use CreateSchemaStep on other databases");
      }
      // CREATE/DROP DATABASE refuse to run inside a transaction block.
      connection.setAutoCommit(true);
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  private static boolean exists(Connection connection, String database) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      query.setString(1, database);
      try (ResultSet result = query.executeQuery()) {
        return result.next();
      }
    }
  }

  @Override
  public String toString() {
    return "CreateDatabaseStep[prefix=" + databasePrefix + ", url=" + urlTemplate + ", migrations=" + migrations + "]";
  }

  /** Configures a {@link CreateDatabaseStep}; {@link #build()} checks the options. */
  public static final class Builder {

    private @Nullable DataSource adminDataSource;
    private String databasePrefix = "tenant_";
    private String urlTemplate = "";
    private @Nullable String user;
    private @Nullable String password;
    private List<String> locations = List.of(TenantMigrations.DEFAULT_LOCATION);
    private String historyTable = "flyway_schema_history";
    private Map<String, String> placeholders = Map.of();

    private Builder() {
    }

    /**
     * A DataSource on an existing database (e.g. {@code postgres}) as a role that may create and drop databases.
     *
     * @param dataSource a PostgreSQL DataSource
     * @return this builder
     */
    public Builder adminDataSource(DataSource dataSource) {
      this.adminDataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * How to reach a tenant's database for migrating it.
     *
     * @param template a JDBC URL with {@code {database}} where the database name goes, e.g.
     *     {@code jdbc:postgresql://db:5432/{database}?sslmode=require}
     * @return this builder
     */
    public Builder urlTemplate(String template) {
      this.urlTemplate = Objects.requireNonNull(template, "template");
      return this;
    }

    /**
     * The credentials Flyway connects to a tenant's database with; by default the URL or the driver decides.
     *
     * @param userName the role
     * @param secret its password, or {@code null} (trust or certificate authentication)
     * @return this builder
     */
    public Builder credentials(String userName, @Nullable String secret) {
      this.user = Objects.requireNonNull(userName, "userName");
      this.password = secret;
      return this;
    }

    /**
     * The prefix of every tenant database name; must match the one the database-per-tenant DataSource uses.
     *
     * @param prefix 1 to 21 characters a-z, 0-9 or {@code _}, starting with a letter; default {@code tenant_}
     * @return this builder
     */
    public Builder databasePrefix(String prefix) {
      this.databasePrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * Where the tenant migrations are, in Flyway's notation.
     *
     * @param flywayLocations e.g. {@code classpath:db/tenant} (the default)
     * @return this builder
     */
    public Builder locations(String... flywayLocations) {
      this.locations = List.copyOf(Arrays.asList(flywayLocations));
      return this;
    }

    /**
     * The name of Flyway's history table in each tenant database.
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
     * {@code tenant_schema} (always {@code public} here).
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
     * @throws IllegalStateException if the admin DataSource or the URL template is missing
     * @throws IllegalArgumentException if the template lacks the placeholder, or the prefix, a location or the history
     *     table is malformed
     */
    public CreateDatabaseStep build() {
      DataSource source = adminDataSource;
      if (source == null) {
        throw new IllegalStateException("CreateDatabaseStep needs an admin DataSource: call adminDataSource(...)");
      }
      if (urlTemplate.isEmpty()) {
        throw new IllegalStateException("CreateDatabaseStep needs a URL template to reach tenant databases: call"
            + " urlTemplate(\"jdbc:postgresql://host:5432/" + DATABASE_PLACEHOLDER + "\")");
      }
      if (!urlTemplate.contains(DATABASE_PLACEHOLDER)) {
        throw new IllegalArgumentException("The URL template must contain " + DATABASE_PLACEHOLDER + " where the"
            + " tenant's database name goes; was '" + urlTemplate + "'");
      }
      SqlIdentifiers.tenantSchema(databasePrefix, TenantSlug.of("probe"));
      return new CreateDatabaseStep(this, source, new TenantMigrations(locations, historyTable, placeholders));
    }
  }
}
