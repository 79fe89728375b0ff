package dev.tenancy.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.jdbc.provisioning.CreateSchemaStep;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * The zero-configuration default: an embedded H2 database with a schema per tenant. Nothing to install, nothing to
 * configure — for development, demos, tests and small single-instance deployments.
 *
 * <pre>{@code
 * try (EmbeddedDatabase database = EmbeddedDatabase.inMemory()) {
 *   JdbcTenantStore store = JdbcTenantStore.builder().dataSource(database.platformDataSource()).build();
 *   TenantService tenants = TenantService.builder().store(store).resolver(resolver)
 *       .step(database.schemaStep("classpath:db/tenant"))          // each tenant's tables
 *       .build();
 *   TenantAwareDataSource dataSource = database.dataSource();       // hand this to the application
 * }
 * }</pre>
 *
 * <p>The platform data source is the raw pool: give it only to Tenancy's own stores (platform tables in their own
 * schema), never to application code that reads tenant data.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  /** The prefix of every tenant schema in the embedded database. */
  public static final String SCHEMA_PREFIX = "tenant_";

  private final HikariDataSource pool;
  private final TenantAwareDataSource dataSource;

  private EmbeddedDatabase(String jdbcUrl) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName("tenancy-embedded");
    config.setMaximumPoolSize(10);
    this.pool = new HikariDataSource(config);
    this.dataSource = TenantAwareDataSource.of(
        SchemaPerTenant.builder(pool).schemaPrefix(SCHEMA_PREFIX).platformSchema("PUBLIC").build());
  }

  /** @return a private in-memory database that lives until {@link #close()} */
  public static EmbeddedDatabase inMemory() {
    return new EmbeddedDatabase("jdbc:h2:mem:tenancy-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  /**
   * A database kept in files, so tenants and their data survive restarts.
   *
   * @param directory where H2 keeps its files (created if missing)
   * @return the database
   */
  public static EmbeddedDatabase inDirectory(Path directory) {
    Objects.requireNonNull(directory, "directory");
    String path = directory.toAbsolutePath().resolve("tenancy").toString().replace('\\', '/');
    return new EmbeddedDatabase("jdbc:h2:file:" + path + ";AUTO_SERVER=FALSE");
  }

  /** @return the tenant-aware data source for application code */
  public TenantAwareDataSource dataSource() {
    return dataSource;
  }

  /** @return the raw pool, for Tenancy's own stores and provisioning steps only */
  public DataSource platformDataSource() {
    return pool;
  }

  /**
   * The provisioning step that creates each tenant's schema and migrates it.
   *
   * @param tenantMigrationLocations Flyway locations of the tenant schema's migrations, e.g. {@code classpath:db/tenant}
   * @return the step
   */
  public CreateSchemaStep schemaStep(String... tenantMigrationLocations) {
    return CreateSchemaStep.builder().dataSource(pool).schemaPrefix(SCHEMA_PREFIX)
        .locations(tenantMigrationLocations).build();
  }

  /** Shuts the database down cleanly and closes the pool; an in-memory database is gone afterwards. */
  @Override
  public void close() {
    dataSource.close();
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    } catch (SQLException e) {
      LoggerFactory.getLogger(EmbeddedDatabase.class).warn("Embedded database did not shut down cleanly", e);
    } finally {
      pool.close();
    }
  }
}
