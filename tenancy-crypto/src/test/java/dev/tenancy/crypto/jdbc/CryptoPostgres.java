package dev.tenancy.crypto.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throw-away PostgreSQL database for one test class, as tenancy-jdbc's {@code PostgresSupport} makes them (its test
 * classes are not published, so this is the part we need, copied): the server named by {@code TENANCY_TEST_PG_URL}
 * (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code TENANCY_TEST_PG_USER} or {@code postgres}).
 *
 * <p>When the server cannot be reached the test is skipped with a message — unless {@code TENANCY_IT_REQUIRED=true}
 * (set by CI), which fails it instead. {@link #close()} drops the database.
 */
final class CryptoPostgres implements AutoCloseable {

  static final String URL = env("TENANCY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String ADMIN_USER = env("TENANCY_TEST_PG_USER", "postgres");

  private final String database;

  private CryptoPostgres(String database) {
    this.database = database;
  }

  /** Creates a fresh database, or skips (fails on CI) when PostgreSQL is not reachable. */
  static CryptoPostgres createDatabase() {
    try (Connection admin = DriverManager.getConnection(URL, adminProperties())) {
      String name = "tenancy_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Statement statement = admin.createStatement()) {
        statement.execute("CREATE DATABASE " + name);
      }
      return new CryptoPostgres(name);
    } catch (SQLException e) {
      String message = "PostgreSQL is not reachable at " + URL + " as " + ADMIN_USER + " (" + e.getMessage()
          + "); integration test skipped. Start PostgreSQL or set TENANCY_TEST_PG_URL; CI sets TENANCY_IT_REQUIRED=true"
          + " to fail instead of skipping.";
      if (Boolean.parseBoolean(System.getenv("TENANCY_IT_REQUIRED"))) {
        fail(message, e);
      }
      Assumptions.abort(message);
      throw new AssertionError("unreachable");
    }
  }

  /** @return a non-pooled data source that connects to this database as the superuser */
  PGSimpleDataSource adminDataSource() {
    int slash = URL.lastIndexOf('/');
    int query = URL.indexOf('?', slash);
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(URL.substring(0, slash + 1) + database + (query < 0 ? "" : URL.substring(query)));
    ds.setUser(ADMIN_USER);
    return ds;
  }

  @Override
  public void close() throws SQLException {
    try (Connection admin = DriverManager.getConnection(URL, adminProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private static Properties adminProperties() {
    Properties properties = new Properties();
    properties.setProperty("user", ADMIN_USER);
    properties.setProperty("connectTimeout", "5");
    return properties;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
