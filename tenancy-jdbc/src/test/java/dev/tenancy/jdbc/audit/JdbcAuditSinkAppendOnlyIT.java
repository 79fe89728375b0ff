package dev.tenancy.jdbc.audit;

import static dev.tenancy.jdbc.audit.AuditChains.readAll;
import static dev.tenancy.jdbc.audit.AuditChains.seal;
import static dev.tenancy.jdbc.audit.AuditPostgres.TABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.audit.AuditStorageException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the append-only table with real roles: the application role (not the owner, only what the migration
 * granted) tries to change or remove records, to slip past the trigger, and to take over the removal functions; the
 * owner is refused plain UPDATE, DELETE and TRUNCATE by the trigger.
 */
class JdbcAuditSinkAppendOnlyIT {

  private static AuditPostgres database;

  private TenantId tenant;
  private List<AuditRecord> records;

  @BeforeAll
  static void startDatabase() {
    database = AuditPostgres.start();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (database != null) {
      database.close();
    }
  }

  @BeforeEach
  void appendAChain() {
    tenant = TenantId.random();
    records = seal(tenant, 5);
    database.sink.append(records);
  }

  @Test
  void appRole_update_refused() {
    assertThatThrownBy(() -> asApp("UPDATE " + TABLE + " SET record = record || ' ' WHERE chain = '" + tenant + "'"))
        .hasMessageContaining("permission denied");
    assertUntouched();
  }

  @Test
  void appRole_delete_refused() {
    assertThatThrownBy(() -> asApp("DELETE FROM " + TABLE + " WHERE chain = '" + tenant + "' AND sequence = 3"))
        .hasMessageContaining("permission denied");
    assertUntouched();
  }

  @Test
  void appRole_truncate_refused() {
    assertThatThrownBy(() -> asApp("TRUNCATE " + TABLE)).hasMessageContaining("permission denied");
    assertUntouched();
  }

  @Test
  void appRole_settingTheRemovalFlagItself_stillCannotDelete() {
    assertThatThrownBy(() -> asApp("SET tenancy.audit_removal = 'on'",
        "DELETE FROM " + TABLE + " WHERE chain = '" + tenant + "'"))
        .hasMessageContaining("permission denied");
    assertUntouched();
  }

  @Test
  void appRole_cannotDisableTheTrigger() {
    assertThatThrownBy(() -> asApp("ALTER TABLE " + TABLE + " DISABLE TRIGGER audit_records_append_only"))
        .hasMessageContaining("must be owner");
    assertThatThrownBy(() -> asApp("SET session_replication_role = replica"))
        .hasMessageContaining("permission denied");
  }

  @Test
  void appRole_cannotReplaceTheRemovalFunctions() {
    assertThatThrownBy(() -> asApp("CREATE OR REPLACE FUNCTION tenancy_audit.audit_erase(p_chain TEXT) RETURNS BIGINT"
        + " LANGUAGE sql AS 'SELECT 0::bigint'"))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> asApp("ALTER FUNCTION tenancy_audit.audit_erase(TEXT) SET tenancy.audit_removal = 'off'"))
        .hasMessageContaining("must be owner");
  }

  @Test
  void appRole_afterUsingARemovalFunction_cannotDeleteInTheSameTransaction() throws SQLException {
    TenantId other = TenantId.random();
    database.sink.append(seal(other, 2));
    try (Connection connection = database.appPool.getConnection(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute("SELECT tenancy_audit.audit_erase('" + other + "')");
      try (ResultSet flag = statement.executeQuery("SELECT current_setting('tenancy.audit_removal', true)")) {
        flag.next();
        assertThat(flag.getString(1)).as("the function's setting ends with the function").isNotEqualTo("on");
      }
      assertThatThrownBy(() -> statement.execute("DELETE FROM " + TABLE + " WHERE chain = '" + tenant + "'"))
          .hasMessageContaining("permission denied");
      connection.rollback();
    }
    assertUntouched();
  }

  @Test
  void owner_update_refusedByTheTrigger() {
    assertThatThrownBy(() -> asOwner("UPDATE " + TABLE + " SET record = record WHERE chain = '" + tenant + "'"))
        .hasMessageContaining("audit records are append-only: UPDATE");
    assertUntouched();
  }

  @Test
  void owner_delete_refusedByTheTrigger() {
    assertThatThrownBy(() -> asOwner("DELETE FROM " + TABLE + " WHERE chain = '" + tenant + "' AND sequence = 5"))
        .hasMessageContaining("audit records are append-only: DELETE");
    assertUntouched();
  }

  @Test
  void owner_truncate_refusedByTheTrigger() {
    assertThatThrownBy(() -> asOwner("TRUNCATE " + TABLE))
        .hasMessageContaining("audit records are append-only: TRUNCATE");
    assertUntouched();
  }

  @Test
  void owner_afterCallingARemovalFunction_plainDeleteStillRefused() {
    TenantId other = TenantId.random();
    database.sink.append(seal(other, 2));

    assertThatThrownBy(() -> asOwnerInOneTransaction("SELECT tenancy_audit.audit_erase('" + other + "')",
        "DELETE FROM " + TABLE + " WHERE chain = '" + tenant + "'"))
        .hasMessageContaining("append-only: DELETE");
    assertUntouched();
  }

  @Test
  void roleWithoutTheGrants_cannotRemoveThroughTheFunctions() {
    String stranger = database.postgres.createApplicationRole("audit_stranger");
    database.postgres.execute("GRANT USAGE ON SCHEMA tenancy_audit TO " + stranger);
    DataSource strangerSource = database.postgres.dataSourceFor(stranger);

    assertThatThrownBy(() -> run(strangerSource, false, "SELECT tenancy_audit.audit_erase('" + tenant + "')"))
        .hasMessageContaining("permission denied for function audit_erase");
    assertThatThrownBy(() -> run(strangerSource, false,
        "SELECT tenancy_audit.audit_delete_before('" + tenant + "', 99)"))
        .hasMessageContaining("permission denied for function audit_delete_before");
    assertThatThrownBy(() -> run(strangerSource, false, "SELECT count(*) FROM " + TABLE))
        .hasMessageContaining("permission denied for table audit_records");
    assertUntouched();
  }

  /**
   * A DBA grants a role DELETE by mistake (or with {@code GRANT ALL}); the role then sets the flag the removal
   * functions set. The trigger still refuses: the flag counts only for the table's owner, which only the functions'
   * SECURITY DEFINER makes a caller.
   */
  @Test
  void roleGrantedDeleteByMistake_settingTheRemovalFlag_stillRefusedByTheTrigger() {
    String careless = database.postgres.createApplicationRole("audit_careless");
    database.postgres.execute("GRANT USAGE ON SCHEMA tenancy_audit TO " + careless,
        "GRANT ALL ON " + TABLE + " TO " + careless);
    DataSource carelessSource = database.postgres.dataSourceFor(careless);

    assertThatThrownBy(() -> run(carelessSource, false, "SET tenancy.audit_removal = 'on'",
        "DELETE FROM " + TABLE + " WHERE chain = '" + tenant + "'"))
        .hasMessageContaining("append-only: DELETE");
    assertThatThrownBy(() -> run(carelessSource, false, "UPDATE " + TABLE + " SET record = record"))
        .hasMessageContaining("append-only: UPDATE");
    assertUntouched();
  }

  @Test
  void removalFunctions_runAsTheOwnerWithAFixedSearchPath() throws SQLException {
    try (Connection connection = database.postgres.adminDataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet functions = statement.executeQuery("SELECT p.proname, p.prosecdef, p.proconfig::text,"
            + " pg_get_userbyid(p.proowner) = pg_get_userbyid(c.relowner)"
            + " FROM pg_proc p, pg_class c WHERE c.oid = 'tenancy_audit.audit_records'::regclass"
            + " AND p.pronamespace = 'tenancy_audit'::regnamespace"
            + " AND p.proname IN ('audit_delete_before', 'audit_erase') ORDER BY 1")) {
      int count = 0;
      while (functions.next()) {
        count++;
        assertThat(functions.getBoolean(2)).as(functions.getString(1) + " is SECURITY DEFINER").isTrue();
        assertThat(functions.getString(3)).contains("search_path=pg_catalog, pg_temp")
            .contains("tenancy.audit_removal=on");
        assertThat(functions.getBoolean(4)).as(functions.getString(1) + " is owned by the table's owner").isTrue();
      }
      assertThat(count).isEqualTo(2);
    }
  }

  @Test
  void appRole_removesOnlyThroughTheSink() {
    assertThat(database.sink.deleteBefore(tenant.toString(), 3)).isEqualTo(2);
    assertThat(readAll(database.sink, tenant.toString())).containsExactlyElementsOf(records.subList(2, 5));
    assertThat(database.sink.erase(tenant.toString())).isEqualTo(3);
    assertThat(readAll(database.sink, tenant.toString())).isEmpty();
  }

  @Test
  void build_asARoleWithoutPrivilegesAndWithoutMigrating_failsFast() {
    String stranger = database.postgres.createApplicationRole("audit_nobody");

    assertThatThrownBy(() -> JdbcAuditSink.builder().dataSource(database.postgres.dataSourceFor(stranger))
        .migrate(false).build())
        .isInstanceOf(AuditStorageException.class)
        .hasMessageContaining("grantSql");
  }

  private void assertUntouched() {
    assertThat(readAll(database.sink, tenant.toString())).containsExactlyElementsOf(records);
  }

  private void asApp(String... sql) throws SQLException {
    run(database.appPool, false, sql);
  }

  private void asOwner(String... sql) throws SQLException {
    run(database.postgres.adminDataSource(), false, sql);
  }

  private void asOwnerInOneTransaction(String... sql) throws SQLException {
    run(database.postgres.adminDataSource(), true, sql);
  }

  private static void run(DataSource source, boolean oneTransaction, String... sql) throws SQLException {
    try (Connection connection = source.getConnection(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(!oneTransaction);
      try {
        for (String s : sql) {
          statement.execute(s);
        }
      } finally {
        if (oneTransaction) {
          connection.rollback();
        }
        connection.setAutoCommit(true);
      }
    }
  }
}
