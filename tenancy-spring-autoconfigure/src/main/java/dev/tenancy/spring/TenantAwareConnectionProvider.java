package dev.tenancy.spring;

import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.hibernate.engine.jdbc.connections.spi.MultiTenantConnectionProvider;
import org.hibernate.service.UnknownUnwrapTypeException;

/**
 * Hands Hibernate connections for a session's tenant from the {@link TenantAwareDataSource}, which binds each one to
 * the tenant in scope (row-level security setting, schema, database or shard).
 *
 * <p>The wrapper binds to the tenant in scope <em>now</em>, while Hibernate asks for the tenant the session was
 * opened for. The two must agree: a session opened for one tenant and used in another's scope (an
 * {@code EntityManager} kept across scopes) gets no connection ({@link SQLException}, SQLState {@code 42501}),
 * never one bound to the wrong tenant. A session opened outside any scope
 * ({@link TenantContextIdentifierResolver#NO_TENANT}) gets none either.
 *
 * <p>{@link #getAnyConnection()}, which Hibernate uses at start-up for database metadata and schema management, comes
 * from the pool beneath: that is platform work, like the {@code spring.sql.init} scripts.
 */
public final class TenantAwareConnectionProvider implements MultiTenantConnectionProvider<String> {

  private static final long serialVersionUID = 1L;
  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  private final transient DataSource tenantAware;
  private final transient DataSource pool;

  /**
   * @param tenantAware the tenant-aware DataSource that binds each connection
   * @param pool the pool beneath it, for Hibernate's start-up work
   */
  public TenantAwareConnectionProvider(DataSource tenantAware, DataSource pool) {
    this.tenantAware = Objects.requireNonNull(tenantAware, "tenantAware");
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  @Override
  public Connection getAnyConnection() throws SQLException {
    return pool.getConnection();
  }

  @Override
  public void releaseAnyConnection(Connection connection) throws SQLException {
    connection.close();
  }

  /**
   * @param tenantIdentifier the tenant the session was opened for
   * @return a connection bound to that tenant, which must be the one in scope
   * @throws SQLException if the session was opened outside any scope, or for another scope than the current one
   */
  @Override
  public Connection getConnection(String tenantIdentifier) throws SQLException {
    Objects.requireNonNull(tenantIdentifier, "tenantIdentifier");
    if (TenantContextIdentifierResolver.NO_TENANT.equals(tenantIdentifier)) {
      throw new SQLException("This Hibernate session was opened outside any tenant scope, so it gets no connection. "
          + "Open the session (EntityManager, transaction) inside TenantContext.run(tenant, ...) or "
          + "TenantContext.asPlatform(...)", INSUFFICIENT_PRIVILEGE);
    }
    String current = TenantContextIdentifierResolver.current();
    if (!tenantIdentifier.equals(current)) {
      throw new SQLException("This Hibernate session was opened for " + describe(tenantIdentifier) + " but is used "
          + "in the scope of " + describe(current) + "; open a new session (EntityManager) in each tenant scope "
          + "instead of keeping one across scopes", INSUFFICIENT_PRIVILEGE);
    }
    return tenantAware.getConnection();
  }

  @Override
  public void releaseConnection(String tenantIdentifier, Connection connection) throws SQLException {
    connection.close();
  }

  /**
   * {@code false}: a connection stays with its session until the transaction ends, as Hibernate recommends for
   * pooled connections.
   *
   * @return {@code false}
   */
  @Override
  public boolean supportsAggressiveRelease() {
    return false;
  }

  @Override
  public boolean isUnwrappableAs(Class<?> unwrapType) {
    return unwrapType.isInstance(this) || unwrapType.isInstance(tenantAware);
  }

  @Override
  public <T> T unwrap(Class<T> unwrapType) {
    if (unwrapType.isInstance(this)) {
      return unwrapType.cast(this);
    }
    if (unwrapType.isInstance(tenantAware)) {
      return unwrapType.cast(tenantAware);
    }
    throw new UnknownUnwrapTypeException(unwrapType);
  }

  private static String describe(String identifier) {
    return switch (identifier) {
      case TenantContextIdentifierResolver.PLATFORM -> "the platform";
      case TenantContextIdentifierResolver.NO_TENANT -> "no tenant";
      default -> "tenant " + identifier;
    };
  }
}
