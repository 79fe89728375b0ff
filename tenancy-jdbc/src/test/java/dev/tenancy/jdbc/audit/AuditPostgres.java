package dev.tenancy.jdbc.audit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.jdbc.PostgresSupport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The production set-up of {@link JdbcAuditSink} in a throw-away PostgreSQL database: the superuser owns the table
 * (it migrates), the sink connects as a non-owner application role through a HikariCP pool with only the privileges
 * the migration's grant gives it.
 */
final class AuditPostgres implements AutoCloseable {

  static final String TABLE = "tenancy_audit.audit_records";

  final PostgresSupport postgres;
  final String appRole;
  final HikariDataSource appPool;
  final JdbcAuditSink sink;

  private AuditPostgres(PostgresSupport postgres) {
    this.postgres = postgres;
    this.appRole = postgres.createApplicationRole("audit_app");
    HikariConfig config = new HikariConfig();
    config.setDataSource(postgres.dataSourceFor(appRole));
    config.setMaximumPoolSize(8);
    config.setMinimumIdle(1);
    config.setPoolName("audit-it");
    this.appPool = new HikariDataSource(config);
    this.sink = JdbcAuditSink.builder().dataSource(appPool).migrationDataSource(postgres.adminDataSource()).build();
  }

  /** Creates the database, the role and the sink, or skips (fails on CI) without PostgreSQL. */
  static AuditPostgres start() {
    return new AuditPostgres(PostgresSupport.createDatabase());
  }

  /**
   * Runs statements as the owner (a superuser) with every trigger off for the session, as someone with full access to
   * the database server would edit the table.
   */
  void tamper(String... sql) {
    try (Connection connection = postgres.adminDataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SET session_replication_role = replica");
      for (String s : sql) {
        statement.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("tampering failed: " + e.getMessage(), e);
    }
  }

  /** @return the stored text of a record */
  String text(String chain, long sequence) {
    try (Connection connection = postgres.adminDataSource().getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT record FROM " + TABLE + " WHERE chain = ? AND sequence = ?")) {
      select.setString(1, chain);
      select.setLong(2, sequence);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalStateException("no record " + chain + "/" + sequence);
        }
        return rows.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return a literal for SQL text, for tamper statements only */
  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  @Override
  public void close() throws SQLException {
    appPool.close();
    postgres.close();
  }
}
