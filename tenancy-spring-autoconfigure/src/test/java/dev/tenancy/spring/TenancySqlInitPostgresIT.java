package dev.tenancy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.memory.InMemoryAuditSink;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.core.spi.TenantStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The contract's point, on a real PostgreSQL (named by {@code TENANCY_TEST_PG_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}; skipped with a message when unreachable unless
 * {@code TENANCY_IT_REQUIRED=true}): {@code spring.sql.init} creates a table and its RLS policy as the owner role
 * while the application serves as a role that owns nothing, so the policy binds it; each tenant then sees only its
 * own rows through the DataSource bean.
 */
class TenancySqlInitPostgresIT {

  private static final String URL = env("TENANCY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String ADMIN = env("TENANCY_TEST_PG_USER", "postgres");
  private static final String SUFFIX = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private static final String DATABASE = "tenancy_it_" + SUFFIX;
  private static final String OWNER = "owner_" + SUFFIX;
  private static final String APP = "app_" + SUFFIX;
  private static final String PASSWORD = "owner-secret";

  private static boolean created;

  @BeforeAll
  static void createDatabaseAndRoles() {
    try {
      execute(URL, "CREATE DATABASE " + DATABASE,
          "CREATE ROLE " + OWNER + " LOGIN PASSWORD '" + PASSWORD + "' NOSUPERUSER NOBYPASSRLS",
          "CREATE ROLE " + APP + " LOGIN PASSWORD 'app' NOSUPERUSER NOBYPASSRLS");
      created = true;
    } catch (SQLException e) {
      String message = "PostgreSQL is not reachable at " + URL + " as " + ADMIN + " (" + e.getMessage()
          + "); integration test skipped. Start PostgreSQL or set TENANCY_TEST_PG_URL; CI sets "
          + "TENANCY_IT_REQUIRED=true to fail instead of skipping.";
      if (Boolean.parseBoolean(System.getenv("TENANCY_IT_REQUIRED"))) {
        fail(message, e);
      }
      Assumptions.abort(message);
    }
    try {
      execute(databaseUrl(), "GRANT ALL ON SCHEMA public TO " + OWNER, "GRANT USAGE ON SCHEMA public TO " + APP,
          "GRANT CREATE ON DATABASE " + DATABASE + " TO " + OWNER,
          // PostgreSQL 15+: the audit table's removal functions SET this parameter, so their owner must be allowed to.
          "GRANT SET ON PARAMETER tenancy.audit_removal TO " + OWNER);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void dropDatabaseAndRoles() throws SQLException {
    if (!created) {
      return;   // skipped: PostgreSQL was not there
    }
    execute(URL, "DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)",
        "REVOKE SET ON PARAMETER tenancy.audit_removal FROM " + OWNER, "DROP ROLE IF EXISTS " + OWNER,
        "DROP ROLE IF EXISTS " + APP);
  }

  @Test
  void sqlInitAsTheOwner_appServesAsANonOwner_rlsKeepsTenantsApart() {
    TenantInfo acme = TenantInfo.of(TenantId.of(UUID.randomUUID()), TenantSlug.of("acme"));
    TenantInfo globex = TenantInfo.of(TenantId.of(UUID.randomUUID()), TenantSlug.of("globex"));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TenancyJdbcAutoConfiguration.class, TenancyAutoConfiguration.class,
            TenancyDataSourceInitializationAutoConfiguration.class, DataSourceInitializationAutoConfiguration.class))
        // The platform tables are not this test's subject; in memory they need no privileges.
        .withBean(TenantStore.class, InMemoryTenantStore::new)
        .withBean(AuditSink.class, InMemoryAuditSink::new)
        .withBean(DataSource.class, () -> dataSourceAs(APP, "app"))
        .withPropertyValues("spring.sql.init.mode=always",
            "spring.sql.init.schema-locations=classpath:tenancy-pg/schema-postgresql.sql",
            "spring.sql.init.username=" + OWNER, "spring.sql.init.password=" + PASSWORD)
        .run(context -> {
          assertThat(context).hasNotFailed();
          DataSource app = context.getBean(DataSource.class);
          try (Connection admin = dataSourceAs(ADMIN, null).getConnection();
               Statement statement = admin.createStatement();
               ResultSet owner = statement.executeQuery("SELECT tableowner FROM pg_tables WHERE tablename = 'notes'")) {
            assertThat(owner.next()).isTrue();
            assertThat(owner.getString(1)).isEqualTo(OWNER);
          }

          TenantContext.call(acme, () -> update(app, "INSERT INTO notes (body) VALUES ('acme only')"));
          TenantContext.call(globex, () -> update(app, "INSERT INTO notes (body) VALUES ('globex only')"));

          assertThat(TenantContext.call(acme, () -> count(app))).isEqualTo(1);
          assertThat(TenantContext.call(globex, () -> count(app))).isEqualTo(1);
          assertThatThrownBy(app::getConnection).isInstanceOf(SQLException.class)
              .hasMessageContaining("outside any tenant scope");
        });
  }

  /**
   * With tenancy.audit.migration-username the audit table belongs to that role and the serving role only appends:
   * it cannot rewrite or delete history, which is what makes the trail worth keeping.
   */
  @Test
  void auditTableMigratedAsTheOwner_theServingRoleCanAppendButNotRewrite() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TenancyJdbcAutoConfiguration.class, TenancyAutoConfiguration.class))
        .withBean(TenantStore.class, InMemoryTenantStore::new)
        .withBean(DataSource.class, () -> dataSourceAs(APP, "app"))
        .withPropertyValues("tenancy.audit.migration-username=" + OWNER, "tenancy.audit.migration-password=" + PASSWORD)
        .run(context -> {
          assertThat(context).hasNotFailed();
          try (Connection admin = dataSourceAs(ADMIN, null).getConnection();
               Statement statement = admin.createStatement();
               ResultSet owner = statement.executeQuery(
                   "SELECT tableowner FROM pg_tables WHERE schemaname = 'tenancy_audit' AND tablename = 'audit_records'")) {
            assertThat(owner.next()).isTrue();
            assertThat(owner.getString(1)).isEqualTo(OWNER);
          }

          TenantInfo acme = TenantInfo.of(TenantId.of(UUID.randomUUID()), TenantSlug.of("acme"));
          AuditLog log = context.getBean(AuditLog.class);
          TenantContext.run(acme, () -> log.record(AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.created")
              .actor(AuditActorType.USER, "agent-1").build()));
          log.flush();

          try (Connection app = dataSourceAs(APP, "app").getConnection(); Statement statement = app.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM tenancy_audit.audit_records")) {
              rows.next();
              assertThat(rows.getLong(1)).isEqualTo(1);
            }
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE tenancy_audit.audit_records SET chain = chain"))
                .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM tenancy_audit.audit_records"))
                .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
          }
        });
  }

  private static int update(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      int rows = statement.executeUpdate(sql);
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      return rows;
    }
  }

  private static long count(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM notes")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static PGSimpleDataSource dataSourceAs(String user, String password) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(databaseUrl());
    dataSource.setUser(user);
    if (password != null) {
      dataSource.setPassword(password);
    }
    return dataSource;
  }

  private static String databaseUrl() {
    int slash = URL.lastIndexOf('/');
    int query = URL.indexOf('?', slash);
    return URL.substring(0, slash + 1) + DATABASE + (query < 0 ? "" : URL.substring(query));
  }

  private static void execute(String url, String... sql) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", ADMIN);
    properties.setProperty("connectTimeout", "5");
    try (Connection connection = DriverManager.getConnection(url, properties);
         Statement statement = connection.createStatement()) {
      for (String s : sql) {
        statement.execute(s);
      }
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
