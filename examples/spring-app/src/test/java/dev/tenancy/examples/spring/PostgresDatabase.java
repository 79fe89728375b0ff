package dev.tenancy.examples.spring;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throw-away PostgreSQL database and application role for one test class (after examples/admin-app's
 * {@code PostgresDatabase}), on the server named by {@code TENANCY_TEST_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}) as {@code TENANCY_TEST_PG_USER} (default {@code postgres}), who
 * becomes the tables' owner. The application role is a fresh login role without superuser or BYPASSRLS, a member of
 * the NOLOGIN role {@code crm_app} that schema-postgresql.sql grants to, allowed to create schemas in the database
 * (the starter's tenant store and API-key store create theirs at start-up, on the application's pool; the audit table
 * is created by the owner, {@code tenancy.audit.migration-username}).
 *
 * <p>Registered as a static {@code @RegisterExtension} field so it runs before Spring loads the application context
 * (which it skips when the server is unreachable, unless {@code TENANCY_IT_REQUIRED=true}, which fails instead), and
 * after all tests drops the database and the role.
 */
final class PostgresDatabase implements BeforeAllCallback, AfterAllCallback {

  static final String URL = env("TENANCY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String OWNER = env("TENANCY_TEST_PG_USER", "postgres");

  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final String database = "crm_spring_it_" + suffix;
  private final String appRole = "crm_api_" + suffix;
  private boolean created;

  @Override
  public void beforeAll(ExtensionContext context) {
    try (Connection admin = DriverManager.getConnection(URL, properties(OWNER));
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
      created = true;
      try {
        statement.execute("CREATE ROLE crm_app NOLOGIN NOSUPERUSER NOBYPASSRLS");
      } catch (SQLException e) {
        // 42710: it exists already (a previous run, or a parallel one); 23505: created concurrently right now.
        if (!"42710".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
          throw e;
        }
      }
      statement.execute("CREATE ROLE " + appRole + " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE "
          + "IN ROLE crm_app");
      statement.execute("GRANT CREATE ON DATABASE " + database + " TO " + appRole);
    } catch (SQLException e) {
      String message = "PostgreSQL is not reachable at " + URL + " as " + OWNER + " (" + e.getMessage()
          + "); the PostgreSQL tests are skipped. Start PostgreSQL or set TENANCY_TEST_PG_URL; CI sets "
          + "TENANCY_IT_REQUIRED=true to fail instead of skipping.";
      if (Boolean.parseBoolean(System.getenv("TENANCY_IT_REQUIRED"))) {
        fail(message, e);
      }
      Assumptions.abort(message);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    if (!created) {
      return;
    }
    // WITH (FORCE) ends the application's pooled connections; the class's context is closed right after (it is
    // @DirtiesContext), since JUnit runs this callback before Spring's own after-class work.
    try (Connection admin = DriverManager.getConnection(URL, properties(OWNER));
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      statement.execute("DROP ROLE IF EXISTS " + appRole);
    }
  }

  /** @return the JDBC URL of this class's database */
  String url() {
    int slash = URL.lastIndexOf('/');
    int query = URL.indexOf('?', slash);
    return URL.substring(0, slash + 1) + database + (query < 0 ? "" : URL.substring(query));
  }

  /** @return the application's login role */
  String appRole() {
    return appRole;
  }

  /**
   * @param user a role
   * @return a connection to this class's database as that role
   * @throws SQLException if it cannot connect
   */
  Connection connect(String user) throws SQLException {
    return DriverManager.getConnection(url(), properties(user));
  }

  private static Properties properties(String user) {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("connectTimeout", "5");
    return properties;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
