package dev.tenancy.jdbc;

import dev.tenancy.core.PlatformAccess;
import dev.tenancy.core.TenantInfo;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * How a {@link TenantAwareDataSource} keeps tenants apart: {@link RowLevelSecurity}, {@link SchemaPerTenant},
 * {@link DatabasePerTenant} or {@link Sharded}. Users choose and configure one of these; they cannot write their own,
 * because a mistake here is a cross-tenant leak (the class has no public constructor).
 */
public abstract class IsolationStrategy {

  IsolationStrategy() {
  }

  /** A connection bound to {@code tenant}; never one that another tenant could observe with a stale binding. */
  abstract Connection connect(TenantInfo tenant) throws SQLException;

  /** A connection for deliberate cross-tenant work, bound to no tenant. */
  abstract Connection connectAsPlatform(PlatformAccess access) throws SQLException;

  /** Counters of what binding cost so far. */
  abstract BindingStatistics statistics();

  /** Releases what the strategy created itself (never the user's own pool). */
  void close() {
  }
}
