package dev.tenancy.jdbc.internal;

import dev.tenancy.core.TenancyConfigurationException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

/**
 * How Tenancy's own JDBC stores recognise their database and migrate their tables: each store keeps its tables and
 * its own Flyway history table in a schema of its own choosing, never touching the application's Flyway history.
 */
public final class LibraryMigrations {

  /** The databases Tenancy's stores run on; the name is the folder of that database's migration scripts. */
  public enum Database {
    /** PostgreSQL 14+. */
    POSTGRESQL,
    /** H2 2.x. */
    H2;

    /** @return the migration-script folder of this database */
    public String folder() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Pattern SCHEMA = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private LibraryMigrations() {
  }

  /**
   * Checks what every store's builder needs before it touches the database.
   *
   * @param dataSource the DataSource the builder was given, if any
   * @param schema the schema the builder was given
   * @param store the store's name, for the messages
   * @return the DataSource
   * @throws IllegalStateException if no DataSource was given
   * @throws IllegalArgumentException if the schema name is not a plain lower-case identifier
   */
  public static DataSource requireStoreOptions(@Nullable DataSource dataSource, String schema, String store) {
    if (dataSource == null) {
      throw new IllegalStateException(store + " needs a DataSource: call dataSource(...) with the platform (admin)"
          + " DataSource");
    }
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException("schema must be lower-case letters, digits and '_', starting with a letter"
          + " (at most 63); was '" + schema + "'");
    }
    return dataSource;
  }

  /**
   * Recognises the database behind a connection.
   *
   * @param connection an open connection
   * @param store the store's name, for the message
   * @param spi the SPI a user would implement instead, for the message
   * @return the database
   * @throws SQLException if the metadata cannot be read
   * @throws TenancyConfigurationException for a database the stores do not support
   */
  public static Database detect(Connection connection, String store, String spi) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    String normalized = product == null ? "" : product.toLowerCase(Locale.ROOT);
    if (normalized.contains("postgresql")) {
      return Database.POSTGRESQL;
    }
    if (normalized.equals("h2")) {
      return Database.H2;
    }
    throw new TenancyConfigurationException(store + " supports PostgreSQL and H2, but the DataSource connects to '"
        + product + "'; point it at one of those, or implement " + spi + " for your database");
  }

  /**
   * Creates or upgrades a store's tables. The schema may already hold another store's tables with their own history,
   * so a non-empty schema without this history starts it below V1 instead of being refused.
   *
   * @param dataSource the platform (admin) data source
   * @param schema the store's schema, created if missing
   * @param historyTable the store's own Flyway history table
   * @param location the Flyway location of the scripts for this database
   * @param classLoader the class loader that sees the scripts
   * @throws org.flywaydb.core.api.FlywayException if migrating fails
   */
  public static void migrate(DataSource dataSource, String schema, String historyTable, String location,
      ClassLoader classLoader) {
    Flyway.configure(classLoader)
        .dataSource(dataSource)
        .schemas(schema)
        .table(historyTable)
        .locations(location)
        .failOnMissingLocations(true)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }
}
