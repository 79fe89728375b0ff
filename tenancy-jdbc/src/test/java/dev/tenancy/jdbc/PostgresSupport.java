package dev.tenancy.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throw-away PostgreSQL database for one test class, on the server named by {@code TENANCY_TEST_PG_URL}
 * (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code TENANCY_TEST_PG_USER} or {@code postgres}).
 *
 * <p>When the server cannot be reached the test is skipped with a message — unless {@code TENANCY_IT_REQUIRED=true}
 * (set by CI), which fails it instead. Every instance creates its own database and roles with random names, so test
 * classes and concurrent builds never see each other's tables; {@link #close()} drops them.
 */
public final class PostgresSupport implements AutoCloseable {

  public static final String URL = env("TENANCY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  public static final String ADMIN_USER = env("TENANCY_TEST_PG_USER", "postgres");

  private final String database;
  private final List<String> roles = new ArrayList<>();

  private PostgresSupport(String database) {
    this.database = database;
  }

  /** Creates a fresh database, or skips (fails on CI) when PostgreSQL is not reachable. */
  public static PostgresSupport createDatabase() {
    try (Connection admin = DriverManager.getConnection(URL, adminProperties())) {
      String name = "tenancy_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Statement statement = admin.createStatement()) {
        statement.execute("CREATE DATABASE " + name);
      }
      return new PostgresSupport(name);
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

  /** @return the database's name */
  public String databaseName() {
    return database;
  }

  /** @return the JDBC URL of this database */
  public String url() {
    int slash = URL.lastIndexOf('/');
    int query = URL.indexOf('?', slash);
    return URL.substring(0, slash + 1) + database + (query < 0 ? "" : URL.substring(query));
  }

  /** @return a non-pooled data source that connects as the superuser (owner of everything it creates) */
  public PGSimpleDataSource adminDataSource() {
    return dataSourceFor(ADMIN_USER);
  }

  /** @return a non-pooled data source that connects as the given role */
  public PGSimpleDataSource dataSourceFor(String user) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url());
    ds.setUser(user);
    return ds;
  }

  /**
   * Creates a login role that is not a superuser, has no BYPASSRLS and owns nothing: what an application must use for
   * row-level security to apply. It may use the public schema.
   *
   * @param prefix readable part of the random role name
   * @return the role name
   */
  public String createApplicationRole(String prefix) {
    String role = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    execute("CREATE ROLE " + role + " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE",
        "GRANT CONNECT ON DATABASE " + database + " TO " + role,
        "GRANT USAGE ON SCHEMA public TO " + role);
    roles.add(role);
    return role;
  }

  /** Runs statements as the superuser in this database. */
  public void execute(String... sql) {
    try (Connection connection = adminDataSource().getConnection(); Statement statement = connection.createStatement()) {
      for (String s : sql) {
        statement.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Test set-up SQL failed: " + e.getMessage(), e);
    }
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
