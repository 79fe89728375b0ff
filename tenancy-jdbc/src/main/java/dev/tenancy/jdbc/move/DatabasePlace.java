package dev.tenancy.jdbc.move;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.jdbc.DatabasePerTenant;
import dev.tenancy.jdbc.IsolationStrategy;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.provisioning.CreateDatabaseStep;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A PostgreSQL database of the tenant's own. Made and migrated by the {@link CreateDatabaseStep}; put aside by
 * closing it to connections ({@code ALLOW_CONNECTIONS false}, sessions ended) — a switch that is undone by opening it
 * again — and dropped when the move commits.
 */
final class DatabasePlace extends Place {

  /** How long to wait for each ended session to go away, so nothing still writes to the closed database. */
  private static final long TERMINATE_TIMEOUT_MILLIS = 5_000;

  private final CreateDatabaseStep step;
  private final DataSource admin;

  DatabasePlace(CreateDatabaseStep step, DataSource admin) {
    this.step = step;
    this.admin = admin;
  }

  @Override
  String kind() {
    return "own database";
  }

  @Override
  void check(String shard, IsolationStrategy strategy) {
    if (!(strategy instanceof DatabasePerTenant)) {
      throw new IllegalArgumentException("Shard '" + shard + "' is configured as Place.ownDatabase(...), but its"
          + " strategy is " + strategy.getClass().getSimpleName() + "; an own database needs DatabasePerTenant");
    }
  }

  @Override
  Optional<String> existing(Shard shard, Tenant tenant, TenantInfo info, String tenantColumn) throws SQLException {
    String database = step.databaseName(tenant.slug());
    boolean exists = AdminSql.exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", database);
    return exists ? Optional.of("database " + database + " of shard '" + shard.name() + "'") : Optional.empty();
  }

  @Override
  boolean makesPlace() {
    return true;
  }

  @Override
  void prepare(Shard shard, Tenant tenant) throws SQLException {
    step.provision(tenant);
  }

  @Override
  void discard(Shard shard, Tenant tenant, TenantInfo info, String tenantColumn) throws SQLException {
    ((DatabasePerTenant) shard.strategy()).evict(tenant.id());
    step.deprovision(tenant);
  }

  @Override
  Retirement retire(Shard shard, Tenant tenant, TenantInfo info, String tenantColumn, long expectedRows)
      throws SQLException {
    String database = step.databaseName(tenant.slug());
    String quoted = SqlIdentifiers.quote(database);
    ((DatabasePerTenant) shard.strategy()).evict(tenant.id());
    AdminSql.execute(admin, "ALTER DATABASE " + quoted + " ALLOW_CONNECTIONS false");
    try (Connection connection = admin.getConnection();
        PreparedStatement terminate = connection.prepareStatement("SELECT pg_terminate_backend(pid, ?)"
            + " FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
      terminate.setLong(1, TERMINATE_TIMEOUT_MILLIS);
      terminate.setString(2, database);
      terminate.execute();
    } catch (SQLException | RuntimeException e) {
      AdminSql.execute(admin, "ALTER DATABASE " + quoted + " ALLOW_CONNECTIONS true");
      throw e;
    }
    return new Retirement() {
      @Override
      public String describe() {
        return "database " + database + " of shard '" + shard.name() + "' closed to connections; it is dropped when"
            + " the move commits";
      }

      @Override
      public void undo() throws SQLException {
        AdminSql.execute(admin, "ALTER DATABASE " + quoted + " ALLOW_CONNECTIONS true");
      }

      @Override
      public void finish() throws SQLException {
        step.deprovision(tenant);
      }

      @Override
      public String leftover() {
        return "database " + database + " (closed to connections) of shard '" + shard.name() + "': DROP DATABASE "
            + quoted + " WITH (FORCE)";
      }
    };
  }
}
