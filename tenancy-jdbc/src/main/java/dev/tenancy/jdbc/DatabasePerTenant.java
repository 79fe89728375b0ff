package dev.tenancy.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.tenancy.core.PlatformAccess;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database per tenant: a connection pool per tenant, created on first use by a factory the application supplies
 * (normally a {@code HikariDataSource} with a small maximum pool size and the tenant's URL), bounded in number, and
 * closed when evicted — but only once its last borrowed connection is back, so eviction never breaks work in flight.
 *
 * <pre>{@code
 * DatabasePerTenant strategy = DatabasePerTenant.builder(tenant -> {
 *       HikariConfig config = new HikariConfig();
 *       config.setJdbcUrl("jdbc:postgresql://db/tenant_" + tenant.slug().value().replace('-', '_'));
 *       config.setMaximumPoolSize(4);
 *       return new HikariDataSource(config);
 *     })
 *     .maximumPools(200)
 *     .build();
 * }</pre>
 *
 * <p>Connections total at most {@code maximumPools × the factory's pool size}. A connection from a tenant's pool can
 * only ever reach that tenant's database, so there is nothing to bind per checkout.
 */
public final class DatabasePerTenant extends IsolationStrategy {

  private static final Logger LOG = LoggerFactory.getLogger(DatabasePerTenant.class);

  private final Function<TenantInfo, DataSource> poolFactory;
  private final @Nullable DataSource platformDataSource;
  private final Cache<TenantId, TenantPool> pools;
  private final LongAdder checkouts = new LongAdder();

  private DatabasePerTenant(Builder builder) {
    this.poolFactory = builder.poolFactory;
    this.platformDataSource = builder.platformDataSource;
    Caffeine<Object, Object> caffeine = Caffeine.newBuilder().maximumSize(builder.maximumPools);
    if (builder.expireAfterAccess != null) {
      caffeine.expireAfterAccess(builder.expireAfterAccess);
    }
    this.pools = caffeine
        .executor(Runnable::run) // retire pools on the calling thread: no common-pool surprises
        .<TenantId, TenantPool>removalListener((id, pool, cause) -> {
          if (pool != null) {
            pool.retire(cause);
          }
        })
        .build();
  }

  /**
   * Starts a configuration.
   *
   * @param poolFactory creates the pool of one tenant's database; called once per tenant while its pool is cached
   * @return a builder
   */
  public static Builder builder(Function<TenantInfo, DataSource> poolFactory) {
    return new Builder(Objects.requireNonNull(poolFactory, "poolFactory"));
  }

  @Override
  Connection connect(TenantInfo tenant) throws SQLException {
    checkouts.increment();
    while (true) {
      TenantPool pool = pools.get(tenant.id(), id -> new TenantPool(id, poolFactory.apply(tenant)));
      Connection borrowed = pool.borrow();
      if (borrowed != null) {
        return borrowed;
      }
      // The pool was retired between lookup and borrow: it is gone from the cache, so the next lookup makes a new one.
    }
  }

  @Override
  Connection connectAsPlatform(PlatformAccess access) throws SQLException {
    if (platformDataSource == null) {
      throw new SQLNonTransientConnectionException("Database-per-tenant has no platform database: configure "
          + "DatabasePerTenant.Builder.platformDataSource(...) for cross-tenant work", "42501");
    }
    return platformDataSource.getConnection();
  }

  /** @return how many tenant pools are open now */
  public long openPools() {
    pools.cleanUp();
    return pools.estimatedSize();
  }

  /**
   * Closes a tenant's pool now (for example after its database was dropped); connections still borrowed finish first.
   *
   * @param tenant the tenant
   */
  public void evict(TenantId tenant) {
    pools.invalidate(tenant);
  }

  @Override
  BindingStatistics statistics() {
    long count = checkouts.sum();
    return new BindingStatistics(count, 0, count);
  }

  @Override
  void close() {
    pools.invalidateAll();
    pools.cleanUp();
  }

  /** One tenant's pool and the count of its borrowed connections; closed when retired and no longer in use. */
  static final class TenantPool {
    private static final int RETIRED = Integer.MIN_VALUE / 2;

    private final TenantId tenant;
    private final DataSource dataSource;
    /** Borrowed connections; pushed far negative once retired, so borrowing fails and the last return closes. */
    private final AtomicInteger state = new AtomicInteger();

    TenantPool(TenantId tenant, DataSource dataSource) {
      this.tenant = tenant;
      this.dataSource = Objects.requireNonNull(dataSource, "the pool factory returned null");
    }

    @Nullable Connection borrow() throws SQLException {
      int current;
      do {
        current = state.get();
        if (current < 0) {
          return null;
        }
      } while (!state.compareAndSet(current, current + 1));
      try {
        return new BorrowedConnection(dataSource.getConnection(), this);
      } catch (SQLException | RuntimeException e) {
        giveBack();
        throw e;
      }
    }

    void giveBack() {
      if (state.decrementAndGet() == RETIRED) {
        closePool();
      }
    }

    void retire(RemovalCause cause) {
      LOG.debug("Retiring the pool of tenant {} ({})", tenant, cause);
      if (state.addAndGet(RETIRED) == RETIRED) {
        closePool();
      }
    }

    private void closePool() {
      if (dataSource instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          LOG.warn("Closing the connection pool of tenant {} failed", tenant, e);
        }
      }
    }
  }

  /** Returns its slot in the tenant's pool exactly once, however often it is closed. */
  private static final class BorrowedConnection extends ForwardingConnection {
    private final TenantPool pool;
    private boolean returned;

    BorrowedConnection(Connection delegate, TenantPool pool) {
      super(delegate);
      this.pool = pool;
    }

    @Override
    public void close() throws SQLException {
      if (returned) {
        return;
      }
      returned = true;
      try {
        delegate.close();
      } finally {
        pool.giveBack();
      }
    }

    @Override
    public boolean isClosed() throws SQLException {
      return returned || delegate.isClosed();
    }
  }

  /** Configures {@link DatabasePerTenant}. */
  public static final class Builder {
    private final Function<TenantInfo, DataSource> poolFactory;
    private long maximumPools = 100;
    private @Nullable Duration expireAfterAccess = Duration.ofMinutes(30);
    private @Nullable DataSource platformDataSource;

    private Builder(Function<TenantInfo, DataSource> poolFactory) {
      this.poolFactory = poolFactory;
    }

    /**
     * @param count how many tenant pools may be open at once (default 100); the least recently used is closed
     * @return this builder
     */
    public Builder maximumPools(long count) {
      if (count < 1) {
        throw new IllegalArgumentException("maximumPools must be at least 1, was " + count);
      }
      this.maximumPools = count;
      return this;
    }

    /**
     * @param idle how long an unused tenant pool stays open (default 30 minutes), or {@code null} for no limit
     * @return this builder
     */
    public Builder expireAfterAccess(@Nullable Duration idle) {
      if (idle != null && (idle.isNegative() || idle.isZero())) {
        throw new IllegalArgumentException("expireAfterAccess must be positive, was " + idle);
      }
      this.expireAfterAccess = idle;
      return this;
    }

    /**
     * @param dataSource where platform (cross-tenant) checkouts go, e.g. the catalog database
     * @return this builder
     */
    public Builder platformDataSource(DataSource dataSource) {
      this.platformDataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /** @return the strategy */
    public DatabasePerTenant build() {
      return new DatabasePerTenant(this);
    }
  }
}
