package dev.tenancy.jdbc.verify;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.spi.TenantHealthCheck;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A health check that each tenant's data is reachable where the tenant lives — its shard, its schema, its own
 * database — and, platform-wide, that the connection pool is not starved: the "database" entry of the admin API's
 * health endpoints.
 *
 * <p>Per tenant it takes a connection through the application's {@link TenantAwareDataSource} inside the tenant's
 * scope (so the binding itself is exercised: the RLS setting, the tenant's schema, the tenant's pool or shard) and asks
 * the driver whether it is valid. {@code DOWN} if no connection can be had or it is not valid, {@code DEGRADED} if
 * that took longer than the slow threshold (default 1 s). Tenants still being provisioned or already deleted are
 * {@code UP} without a connection: nothing is expected to be there. A failure reports the SQLState and the exception
 * class, never the driver's message (it can carry host names and user names).
 *
 * <p>Platform-wide, if {@linkplain Builder#pool a HikariCP pool} is given: its active, idle and total connections and
 * the threads waiting for one; {@code DEGRADED} while any thread waits (the pool is too small for the load, or
 * connections leak).
 *
 * <pre>{@code
 * TenantHealthChecks checks = TenantHealthChecks.builder()
 *     .tenants(tenantService)
 *     .check(DatabaseReachabilityCheck.builder(dataSource).pool(hikari).build())
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class DatabaseReachabilityCheck implements TenantHealthCheck {

  /** The name of this check's entry in health results. */
  public static final String NAME = "database";

  private final TenantAwareDataSource dataSource;
  private final @Nullable HikariDataSource pool;
  private final Duration slow;
  private final int validationSeconds;

  private DatabaseReachabilityCheck(Builder builder) {
    this.dataSource = builder.dataSource;
    this.pool = builder.pool;
    this.slow = builder.slow;
    this.validationSeconds = builder.validationSeconds;
  }

  /**
   * Starts a configuration.
   *
   * @param dataSource the application's tenant-aware data source
   * @return a builder
   */
  public static Builder builder(TenantAwareDataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CheckResult check(Tenant tenant) {
    if (tenant.status() == TenantStatus.PROVISIONING || tenant.status() == TenantStatus.DELETED) {
      return CheckResult.up("not checked: a " + tenant.status() + " tenant has no data to reach");
    }
    long started = System.nanoTime();
    try (Connection connection = dataSource.getConnection()) {
      boolean valid = connection.isValid(validationSeconds);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      if (!valid) {
        return CheckResult.down("a connection to the tenant's data was handed out but is not valid; check the"
            + " database server and the pool's connection test").withFact("latencyMs", millis);
      }
      if (millis > slow.toMillis()) {
        return CheckResult.degraded("the tenant's data answered in " + millis + " ms (slow above " + slow.toMillis()
            + " ms): the pool may be exhausted or the database overloaded").withFact("latencyMs", millis);
      }
      return CheckResult.up("reachable in " + millis + " ms").withFact("latencyMs", millis);
    } catch (SQLException e) {
      return CheckResult.down("cannot reach the tenant's data: " + e.getClass().getSimpleName()
          + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")")
          + "; check the database server, the tenant's schema or database, and the shard directory")
          .withFact("latencyMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
  }

  @Override
  public Optional<CheckResult> checkPlatform(List<Tenant> tenants) {
    if (pool == null) {
      return Optional.empty();
    }
    HikariPoolMXBean bean = pool.getHikariPoolMXBean();
    if (bean == null) {
      return Optional.of(CheckResult.down("the connection pool is not running (closed, or not started yet)"));
    }
    int waiting = bean.getThreadsAwaitingConnection();
    CheckResult result = waiting > 0
        ? CheckResult.degraded(waiting + " thread(s) waiting for a database connection: raise the pool's maximum size"
            + " (mind the database's connection limit) or look for connections that are not closed")
        : CheckResult.up("connection pool has headroom");
    return Optional.of(result
        .withFact("active", bean.getActiveConnections())
        .withFact("idle", bean.getIdleConnections())
        .withFact("total", bean.getTotalConnections())
        .withFact("waiting", waiting)
        .withFact("maximum", pool.getMaximumPoolSize()));
  }

  /** Configures {@link DatabaseReachabilityCheck}. */
  public static final class Builder {
    private final TenantAwareDataSource dataSource;
    private @Nullable HikariDataSource pool;
    private Duration slow = Duration.ofSeconds(1);
    private int validationSeconds = 5;

    private Builder(TenantAwareDataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * The pool whose state the platform-wide form reports.
     *
     * @param hikari the HikariCP pool underneath the tenant-aware data source
     * @return this builder
     */
    public Builder pool(HikariDataSource hikari) {
      this.pool = Objects.requireNonNull(hikari, "hikari");
      return this;
    }

    /**
     * @param threshold how long taking and validating a connection may take before the tenant is DEGRADED
     *     (default 1 s)
     * @return this builder
     */
    public Builder slowAfter(Duration threshold) {
      if (threshold.isNegative() || threshold.isZero()) {
        throw new IllegalArgumentException("slowAfter must be positive; was " + threshold);
      }
      this.slow = threshold;
      return this;
    }

    /**
     * @param seconds how long the driver may take to validate a connection (default 5, at least 1)
     * @return this builder
     */
    public Builder validationTimeoutSeconds(int seconds) {
      if (seconds < 1) {
        throw new IllegalArgumentException("validationTimeoutSeconds must be at least 1; was " + seconds);
      }
      this.validationSeconds = seconds;
      return this;
    }

    /** @return the check */
    public DatabaseReachabilityCheck build() {
      return new DatabaseReachabilityCheck(this);
    }
  }
}
