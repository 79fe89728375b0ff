package dev.tenancy.jdbc;

import dev.tenancy.core.NoTenantException;
import dev.tenancy.core.PlatformAccess;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} whose every connection is bound to {@link TenantContext}'s current tenant — fail closed.
 *
 * <pre>{@code
 * HikariDataSource hikari = new HikariDataSource(config);          // connects as the application role
 * TenantAwareDataSource dataSource = TenantAwareDataSource.of(RowLevelSecurity.builder(hikari).build());
 *
 * try (TenantScope scope = TenantContext.enter(acme);
 *      Connection connection = dataSource.getConnection()) {      // sees only acme's rows
 *   ...
 * }
 * dataSource.getConnection();                                      // SQLException caused by NoTenantException
 * }</pre>
 *
 * <p>A connection is handed out only inside a tenant scope, or inside {@link TenantContext#asPlatform} (bound to no
 * tenant). Without either, {@link #getConnection()} throws an {@link SQLException} (SQLState {@code 42501}) whose cause
 * is a {@link NoTenantException}, so pools, ORMs and Spring translate it like any database error.
 *
 * <p>What the binding costs and how it stays correct depends on the {@link IsolationStrategy}; see
 * {@link RowLevelSecurity}, {@link SchemaPerTenant}, {@link DatabasePerTenant} and {@link Sharded}. A connection the
 * application forgets to close stays checked out — and bound to its tenant — until the pool's leak detection or
 * shutdown reclaims it; no other tenant can be handed it meanwhile.
 */
public final class TenantAwareDataSource implements DataSource, AutoCloseable {

  private final IsolationStrategy strategy;

  private TenantAwareDataSource(IsolationStrategy strategy) {
    this.strategy = strategy;
  }

  /**
   * Wraps a strategy (which wraps the pool).
   *
   * @param strategy how tenants are kept apart
   * @return the data source
   */
  public static TenantAwareDataSource of(IsolationStrategy strategy) {
    return new TenantAwareDataSource(Objects.requireNonNull(strategy, "strategy"));
  }

  /** @return the isolation strategy */
  public IsolationStrategy strategy() {
    return strategy;
  }

  /**
   * A connection bound to the current tenant, or to no tenant inside a platform scope.
   *
   * @return the connection
   * @throws SQLException if there is no tenant and no platform scope (cause {@link NoTenantException}), or the pool
   *     or the binding statement fails
   */
  @Override
  public Connection getConnection() throws SQLException {
    Optional<TenantInfo> tenant = TenantContext.current();
    if (tenant.isPresent()) {
      return strategy.connect(tenant.get());
    }
    Optional<PlatformAccess> platform = TenantContext.platformAccess();
    if (platform.isPresent()) {
      return strategy.connectAsPlatform(platform.get());
    }
    NoTenantException cause = new NoTenantException("A database connection was requested outside any tenant scope on "
        + "thread '" + Thread.currentThread().getName() + "': open one with TenantContext.enter(...), or use "
        + "TenantContext.asPlatform(actor, reason, ...) for deliberate cross-tenant work");
    throw new SQLNonTransientConnectionException(cause.getMessage(), "42501", cause);
  }

  /**
   * Not supported: credentials belong to the pool's configuration, and a per-call user could bypass the application
   * role that row-level security relies on.
   *
   * @throws SQLFeatureNotSupportedException always
   */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("TenantAwareDataSource takes its credentials from the pool's "
        + "configuration; use getConnection()");
  }

  /** @return what binding has cost so far: checkouts, binding statements (round trips), reused bindings */
  public BindingStatistics statistics() {
    return strategy.statistics();
  }

  /** Closes the pools the strategy created itself (per-tenant databases); the pool you passed in stays yours. */
  @Override
  public void close() {
    strategy.close();
  }

  @Override
  public PrintWriter getLogWriter() {
    return new PrintWriter(java.io.Writer.nullWriter());
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // Tenancy logs through SLF4J; a JDBC log writer has nothing to receive.
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    throw new SQLFeatureNotSupportedException("Configure timeouts on the underlying pool");
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("Tenancy logs through SLF4J");
  }

  /**
   * Unwraps only to this class: handing out the pool underneath would let callers take connections with a stale
   * binding.
   */
  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("TenantAwareDataSource does not expose the pool it wraps; keep a reference to the pool "
        + "where you configure it if you need it");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}
