package dev.tenancy.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * A throw-away PostgreSQL database for one benchmark trial, on the server the integration tests use:
 * {@code TENANCY_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test}) as {@code TENANCY_TEST_PG_USER}
 * (default {@code postgres}, a superuser). The database ({@code tenancy_bench_<random>}) and the roles made for it
 * are dropped by {@link #close()}.
 *
 * <pre>{@code
 * try (BenchDatabase database = BenchDatabase.create()) {
 *   String app = database.createApplicationRole("bench_app");
 *   HikariDataSource pool = database.pool(app, 1);
 * }
 * }</pre>
 */
public final class BenchDatabase implements AutoCloseable {

  /** JDBC URL of the server's maintenance database, where databases are created and dropped. */
  public static final String SERVER_URL = env("TENANCY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  /** The superuser that creates, owns and drops everything. */
  public static final String ADMIN_USER = env("TENANCY_TEST_PG_USER", "postgres");

  private final String name;
  private final List<String> roles = new ArrayList<>();
  private final List<HikariDataSource> pools = new ArrayList<>();

  private BenchDatabase(String name) {
    this.name = name;
  }

  /**
   * Creates a fresh, empty database.
   *
   * @return the database
   * @throws IllegalStateException if PostgreSQL cannot be reached (the benchmark cannot run without it)
   */
  public static BenchDatabase create() {
    String name = "tenancy_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection admin = DriverManager.getConnection(SERVER_URL, adminProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL is not reachable at " + SERVER_URL + " as " + ADMIN_USER + " ("
          + e.getMessage() + "); start it or set TENANCY_TEST_PG_URL / TENANCY_TEST_PG_USER", e);
    }
    return new BenchDatabase(name);
  }

  /** @return the database's name */
  public String name() {
    return name;
  }

  /** @return the JDBC URL of this database */
  public String url() {
    int slash = SERVER_URL.lastIndexOf('/');
    int query = SERVER_URL.indexOf('?', slash);
    return SERVER_URL.substring(0, slash + 1) + name + (query < 0 ? "" : SERVER_URL.substring(query));
  }

  /**
   * Creates a login role that is not a superuser, has no BYPASSRLS and owns nothing — what row-level security needs —
   * allowed to connect and to use the public schema.
   *
   * @param prefix readable part of the random role name
   * @return the role name
   */
  public String createApplicationRole(String prefix) {
    String role = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    execute("CREATE ROLE " + role + " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE",
        "GRANT CONNECT ON DATABASE " + name + " TO " + role,
        "GRANT USAGE ON SCHEMA public TO " + role);
    roles.add(role);
    return role;
  }

  /**
   * Runs statements as the superuser in this database, each in its own transaction.
   *
   * @param sql the statements
   */
  public void execute(String... sql) {
    try (Connection connection = DriverManager.getConnection(url(), adminProperties());
        Statement statement = connection.createStatement()) {
      for (String s : sql) {
        statement.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Benchmark set-up SQL failed: " + e.getMessage(), e);
    }
  }

  /**
   * A HikariCP pool on this database whose connections are counted by {@link RoundTripCounter}. All
   * {@code maximumPoolSize} connections are opened before this returns, and nothing in the pool talks to the server on
   * its own afterwards (no keepalive), so every round trip counted during a measurement is the benchmark's.
   *
   * @param user the role to connect as
   * @param size the fixed number of connections
   * @return the pool, closed by {@link #close()}
   */
  public HikariDataSource pool(String user, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url());
    config.setUsername(user);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setKeepaliveTime(0);
    config.setPoolName("bench-" + user);
    config.addDataSourceProperty("socketFactory", RoundTripCounter.Factory.class.getName());
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    awaitFull(pool, size);
    return pool;
  }

  /** Hikari fills the pool from a background thread; a measurement must not race it. */
  private static void awaitFull(HikariDataSource pool, int size) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (pool.getHikariPoolMXBean().getTotalConnections() < size) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Pool " + pool.getPoolName() + " did not open " + size + " connections in 10 s");
      }
      LockSupport.parkNanos(1_000_000L);
    }
  }

  /** Closes the pools, drops the database (disconnecting anyone left) and the roles. */
  @Override
  public void close() {
    for (HikariDataSource pool : pools) {
      pool.close();
    }
    try (Connection admin = DriverManager.getConnection(SERVER_URL, adminProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      for (String role : roles) {
        statement.execute("DROP ROLE IF EXISTS " + role);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not drop benchmark database " + name + ": " + e.getMessage(), e);
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
