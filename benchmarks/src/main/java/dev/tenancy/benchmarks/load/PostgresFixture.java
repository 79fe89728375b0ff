package dev.tenancy.benchmarks.load;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * A throw-away PostgreSQL database and application role for one scenario run, on the server of
 * {@code TENANCY_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test}) as {@code TENANCY_TEST_PG_USER}
 * (default {@code postgres}); both dropped on close. If a run is killed, drop {@code tenancy_load_…} and
 * {@code load_app_…} by hand.
 */
final class PostgresFixture implements AutoCloseable {

  static final String SERVER_URL = env("TENANCY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String ADMIN_USER = env("TENANCY_TEST_PG_USER", "postgres");

  private final String database;
  private final String role;

  private PostgresFixture(String database, String role) {
    this.database = database;
    this.role = role;
  }

  static PostgresFixture create() throws LoadScenarios.ScenarioUnavailableException {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection admin = admin(); Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE tenancy_load_" + suffix);
      return new PostgresFixture("tenancy_load_" + suffix, "load_app_" + suffix);
    } catch (SQLException e) {
      throw new LoadScenarios.ScenarioUnavailableException("PostgreSQL not reachable at " + SERVER_URL + " as "
          + ADMIN_USER + ": " + e.getMessage() + "; set TENANCY_TEST_PG_URL");
    }
  }

  /** @return the JDBC URL of this run's database */
  String url() {
    int slash = SERVER_URL.lastIndexOf('/');
    int query = SERVER_URL.indexOf('?', slash);
    return SERVER_URL.substring(0, slash + 1) + database + (query < 0 ? "" : SERVER_URL.substring(query));
  }

  /** @return the (not yet existing) application role the app creates and accesses tenant rows as */
  String appRole() {
    return role;
  }

  @Override
  public void close() throws SQLException {
    try (Connection admin = admin(); Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      statement.execute("DROP ROLE IF EXISTS " + role);
    }
  }

  private static Connection admin() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", ADMIN_USER);
    properties.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(SERVER_URL, properties);
  }

  /** @return {@code TENANCY_TEST_REDIS_URL} (default {@code redis://127.0.0.1:6379}) once it accepts connections */
  static String redisUrl() throws LoadScenarios.ScenarioUnavailableException {
    String url = env("TENANCY_TEST_REDIS_URL", "redis://127.0.0.1:6379");
    URI uri = URI.create(url);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 2000);
      return url;
    } catch (Exception e) {
      throw new LoadScenarios.ScenarioUnavailableException("Redis not reachable at " + url + ": " + e.getMessage()
          + "; set TENANCY_TEST_REDIS_URL");
    }
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
