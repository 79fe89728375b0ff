package dev.tenancy.examples.admin;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL database for one test class (after tenancy-jdbc's {@code PostgresSupport}), on the server
 * named by {@code TENANCY_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test}) as
 * {@code TENANCY_TEST_PG_USER} (default {@code postgres}). Skips when the server is unreachable, unless
 * {@code TENANCY_IT_REQUIRED=true}, which fails instead.
 */
final class PostgresDatabase implements AutoCloseable {

  static final String URL = env("TENANCY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String ADMIN_USER = env("TENANCY_TEST_PG_USER", "postgres");

  private final String database;
  private final List<String> roles = new ArrayList<>();

  private PostgresDatabase(String database) {
    this.database = database;
  }

  static PostgresDatabase create() {
    try (Connection admin = DriverManager.getConnection(URL, adminProperties())) {
      String name = "tenancy_app_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Statement statement = admin.createStatement()) {
        statement.execute("CREATE DATABASE " + name);
      }
      return new PostgresDatabase(name);
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

  /** @return the JDBC URL of this database */
  String url() {
    return url(database);
  }

  /** @return the JDBC URL of another database on the same server */
  static String url(String database) {
    int slash = URL.lastIndexOf('/');
    int query = URL.indexOf('?', slash);
    return URL.substring(0, slash + 1) + database + (query < 0 ? "" : URL.substring(query));
  }

  /** @return a connection to the server's test database as the admin user, e.g. to look at {@code pg_database} */
  static Connection admin() throws SQLException {
    return DriverManager.getConnection(URL, adminProperties());
  }

  /** @return a fresh role name, dropped with the database */
  String roleName(String prefix) {
    String role = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    roles.add(role);
    return role;
  }

  @Override
  public void close() throws SQLException {
    try (Connection admin = DriverManager.getConnection(URL, adminProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      for (String role : roles) {
        statement.execute("DROP ROLE IF EXISTS " + role);
      }
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
