package dev.tenancy.jdbc;

import static dev.tenancy.jdbc.RlsFixture.insert;
import static dev.tenancy.jdbc.RlsFixture.names;
import static dev.tenancy.jdbc.RlsFixture.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.NoTenantException;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.jdbc.verify.IsolationReport;
import dev.tenancy.jdbc.verify.IsolationVerifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Row-level security through TenantAwareDataSource, on the real PostgreSQL, as a non-owner role. */
class RowLevelSecurityIT {

  private static RlsFixture fixture;
  private static final TenantInfo ACME = tenant("acme");
  private static final TenantInfo GLOBEX = tenant("globex");

  @BeforeAll
  static void createDatabase() {
    fixture = new RlsFixture();
    fixture.seed(ACME, "acme-1");
    fixture.seed(ACME, "acme-2");
    fixture.seed(GLOBEX, "globex-1");
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void oneConnection_usedByAThenTakenByB_seesOnlyB() throws Exception {
    try (HikariDataSource pool = fixture.pool(1, true, "")) {
      TenantAwareDataSource dataSource = TenantAwareDataSource.of(RowLevelSecurity.builder(pool).build());
      try (TenantScope a = TenantContext.enter(ACME); Connection connection = dataSource.getConnection()) {
        assertThat(names(connection)).containsExactly("acme-1", "acme-2");
      }
      try (TenantScope b = TenantContext.enter(GLOBEX); Connection connection = dataSource.getConnection()) {
        assertThat(names(connection)).containsExactly("globex-1");
      }
      assertThat(dataSource.statistics().bindingStatements()).isEqualTo(2);
    }
  }

  @Test
  void getConnection_withoutTenant_isRefusedBeforeTouchingThePool() throws Exception {
    try (HikariDataSource pool = fixture.pool(1, true, "")) {
      TenantAwareDataSource dataSource = TenantAwareDataSource.of(RowLevelSecurity.builder(pool).build());
      assertThatThrownBy(dataSource::getConnection)
          .isInstanceOf(SQLException.class)
          .hasCauseInstanceOf(NoTenantException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
      assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
    }
  }

  @Test
  void sameTenantReCheckout_sendsNoBindingStatement() throws Exception {
    try (HikariDataSource pool = fixture.pool(1, true, "")) {
      TenantAwareDataSource dataSource = TenantAwareDataSource.of(RowLevelSecurity.builder(pool).build());
      try (TenantScope a = TenantContext.enter(ACME)) {
        for (int i = 0; i < 5; i++) {
          try (Connection connection = dataSource.getConnection()) {
            assertThat(names(connection)).containsExactly("acme-1", "acme-2");
          }
        }
      }
      assertThat(dataSource.statistics()).isEqualTo(new BindingStatistics(5, 1, 4));
    }
  }

  @Test
  void writeNamingAnotherTenant_isRejectedByWithCheck() throws Exception {
    try (HikariDataSource pool = fixture.pool(1, true, "")) {
      TenantAwareDataSource dataSource = TenantAwareDataSource.of(RowLevelSecurity.builder(pool).build());
      try (TenantScope a = TenantContext.enter(ACME); Connection connection = dataSource.getConnection()) {
        assertThatThrownBy(() -> insert(connection, GLOBEX.id(), "smuggled"))
            .isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        try (Statement statement = connection.createStatement()) {
          int moved = statement.executeUpdate("UPDATE leads SET organization_id = '" + GLOBEX.id() + "'");
          throw new AssertionError("moving rows to another tenant must fail, but updated " + moved);
        } catch (SQLException expected) {
          assertThat(expected.getSQLState()).isEqualTo("42501");
        }
      }
      try (TenantScope b = TenantContext.enter(GLOBEX); Connection connection = dataSource.getConnection()) {
        assertThat(names(connection)).containsExactly("globex-1");
      }
    }
  }

  /**
   * Regression trap: a session-level set_config made inside a transaction is undone when that transaction rolls back,
   * reverting the connection to the previous tenant. The binding is committed on its own, so rollbacks, savepoint
   * rollbacks and aborted transactions leave it in place — within the checkout and for the next one.
   */
  @Test
  void rollbacksAndAbortedTransactions_neverRevertTheBindingToThePreviousTenant() throws Exception {
    try (HikariDataSource pool = fixture.pool(1, false, "")) {
      TenantAwareDataSource dataSource = TenantAwareDataSource.of(RowLevelSecurity.builder(pool).build());
      try (TenantScope a = TenantContext.enter(ACME); Connection connection = dataSource.getConnection()) {
        assertThat(names(connection)).containsExactly("acme-1", "acme-2");
        connection.commit();
      }
      try (TenantScope b = TenantContext.enter(GLOBEX); Connection connection = dataSource.getConnection()) {
        assertThat(names(connection)).containsExactly("globex-1");
        connection.rollback();
        assertThat(names(connection)).as("after rollback").containsExactly("globex-1");
        Savepoint savepoint = connection.setSavepoint();
        assertThat(names(connection)).containsExactly("globex-1");
        connection.rollback(savepoint);
        assertThat(names(connection)).as("after savepoint rollback").containsExactly("globex-1");
        try (Statement statement = connection.createStatement()) {
          statement.execute("SELECT 1/0");
        } catch (SQLException aborted) {
          assertThat(aborted.getSQLState()).isEqualTo("22012");
        }
        connection.rollback();
        assertThat(names(connection)).as("after an aborted transaction").containsExactly("globex-1");
      } // closed with an open transaction: HikariCP rolls it back
      try (TenantScope b = TenantContext.enter(GLOBEX); Connection connection = dataSource.getConnection()) {
        assertThat(names(connection)).as("next checkout, cached binding").containsExactly("globex-1");
      }
      assertThat(dataSource.statistics().reusedBindings()).isEqualTo(1);
    }
  }

  @Test
  void platformScope_isBoundToNoTenant_andSeesNoTenantRows() throws Exception {
    try (HikariDataSource pool = fixture.pool(1, true, "")) {
      TenantAwareDataSource dataSource = TenantAwareDataSource.of(RowLevelSecurity.builder(pool).build());
      try (TenantScope a = TenantContext.enter(ACME); Connection connection = dataSource.getConnection()) {
        assertThat(names(connection)).hasSize(2);
      }
      List<String> seen = TenantContext.asPlatform("ops", "count check", () -> {
        try (Connection connection = dataSource.getConnection()) {
          return names(connection);
        }
      });
      assertThat(seen).as("the previous tenant's binding must not survive into a platform checkout").isEmpty();
    }
  }

  /**
   * Server-side prepared statements and generic plans are re-used across checkouts of the connection: the tenant is
   * read at execution time (an InitPlan), so every execution still filters by the current tenant.
   */
  @Test
  void serverPreparedGenericPlans_reusedAcrossTenants_filterByTheCurrentTenant() throws Exception {
    fixture.database.execute("ALTER ROLE " + fixture.appRole + " SET plan_cache_mode = force_generic_plan");
    try (HikariDataSource pool = fixture.pool(1, true, "?prepareThreshold=1")) {
      TenantAwareDataSource dataSource = TenantAwareDataSource.of(RowLevelSecurity.builder(pool).build());
      for (int i = 0; i < 12; i++) {
        TenantInfo tenant = i % 2 == 0 ? ACME : GLOBEX;
        try (TenantScope scope = TenantContext.enter(tenant); Connection connection = dataSource.getConnection();
            PreparedStatement statement = connection.prepareStatement("SELECT name FROM leads WHERE name LIKE ?")) {
          statement.setString(1, "%");
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              assertThat(rows.getString(1)).startsWith(tenant.slug().value());
            }
          }
        }
      }
    } finally {
      fixture.database.execute("ALTER ROLE " + fixture.appRole + " RESET plan_cache_mode");
    }
  }

  @Test
  void transactionLocalMode_bindsEachTransaction_andFailsClosedOutsideOne() throws Exception {
    try (HikariDataSource pool = fixture.pool(1, true, "")) {
      TenantAwareDataSource dataSource =
          TenantAwareDataSource.of(RowLevelSecurity.builder(pool).transactionLocal().build());
      try (TenantScope a = TenantContext.enter(ACME); Connection connection = dataSource.getConnection()) {
        assertThat(connection.getAutoCommit()).isFalse();
        assertThat(names(connection)).containsExactly("acme-1", "acme-2");
        PreparedStatement keptAcrossCommit = connection.prepareStatement("SELECT count(*) FROM leads");
        connection.commit();
        try (ResultSet rows = keptAcrossCommit.executeQuery()) {
          rows.next();
          assertThat(rows.getInt(1)).as("a statement from the previous transaction runs unbound").isZero();
        }
        connection.rollback();
        assertThat(names(connection)).as("the next transaction is bound again").containsExactly("acme-1", "acme-2");
        assertThatThrownBy(() -> connection.setAutoCommit(true)).isInstanceOf(SQLException.class)
            .hasMessageContaining("auto-commit off");
        keptAcrossCommit.close();
      }
      try (TenantScope b = TenantContext.enter(GLOBEX); Connection connection = dataSource.getConnection()) {
        assertThat(names(connection)).containsExactly("globex-1");
      }
      // Nothing stays bound in the session: a raw connection from the same pool sees no rows.
      try (Connection raw = pool.getConnection()) {
        assertThat(names(raw)).isEmpty();
      }
    }
  }

  @Test
  void fixtureBuiltWithRlsPolicies_passesTheIsolationVerifier() throws Exception {
    IsolationReport report = IsolationVerifier.forPostgres().applicationRole(fixture.appRole)
        .verify(fixture.database.adminDataSource());
    assertThat(report.findings()).isEmpty();
    assertThat(report.tenantTables()).isNotEmpty();
  }

  @Test
  void unsetOrEmptySetting_matchesNoRows() throws Exception {
    try (HikariDataSource pool = fixture.pool(1, true, ""); Connection raw = pool.getConnection()) {
      assertThat(names(raw)).as("never set in this session").isEmpty();
      try (Statement statement = raw.createStatement()) {
        statement.execute("SELECT set_config('tenancy.tenant_id', '', false)");
      }
      assertThat(names(raw)).as("empty").isEmpty();
    }
  }
}
