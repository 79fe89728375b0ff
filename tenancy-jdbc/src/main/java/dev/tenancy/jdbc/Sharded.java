package dev.tenancy.jdbc;

import dev.tenancy.core.PlatformAccess;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.jdbc.spi.ShardDirectory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Tenants spread over several databases (shards), each shard isolating its tenants with its own strategy.
 *
 * <pre>{@code
 * Sharded sharded = Sharded.builder(directory)
 *     .shard("eu-1", RowLevelSecurity.builder(euPool).build())
 *     .shard("us-1", RowLevelSecurity.builder(usPool).build())
 *     .build();
 * }</pre>
 *
 * <p>A tenant the directory does not know gets no connection. Platform checkouts are refused here because "the
 * platform" spans shards: run cross-tenant work per shard through {@link #shard(String)}.
 */
public final class Sharded extends IsolationStrategy {

  private final ShardDirectory directory;
  private final Map<String, IsolationStrategy> shards;

  private Sharded(ShardDirectory directory, Map<String, IsolationStrategy> shards) {
    this.directory = directory;
    this.shards = Map.copyOf(shards);
  }

  /**
   * Starts a configuration.
   *
   * @param directory maps tenants to shard names
   * @return a builder
   */
  public static Builder builder(ShardDirectory directory) {
    return new Builder(Objects.requireNonNull(directory, "directory"));
  }

  /** @return the shard names */
  public Set<String> shardNames() {
    return shards.keySet();
  }

  /**
   * One shard's strategy, for per-shard platform work.
   *
   * @param name the shard name
   * @return its strategy
   * @throws IllegalArgumentException if there is no such shard
   */
  public IsolationStrategy shard(String name) {
    IsolationStrategy shard = shards.get(name);
    if (shard == null) {
      throw new IllegalArgumentException("No shard '" + name + "'; shards: " + shards.keySet());
    }
    return shard;
  }

  /**
   * The strategy of the shard that holds a tenant now, for tools that must know how its place isolates it (backup,
   * moves).
   *
   * @param tenant the tenant
   * @return its shard's strategy, or empty if the directory does not know the tenant or names an unconfigured shard
   * @since 0.1.0
   */
  public Optional<IsolationStrategy> shardOf(TenantInfo tenant) {
    return directory.shardOf(tenant.id()).map(shards::get);
  }

  @Override
  Connection connect(TenantInfo tenant) throws SQLException {
    Optional<String> assigned;
    try {
      assigned = directory.shardOf(tenant.id());
    } catch (RuntimeException e) {
      // A directory that cannot answer (its table unreachable, say) is a connection failure to callers, who handle
      // SQLException from getConnection() and nothing else.
      throw new SQLTransientConnectionException("The shard directory could not say where tenant " + tenant.id()
          + " lives: " + e.getMessage(), "08001", e);
    }
    String name = assigned.orElseThrow(() -> new SQLNonTransientConnectionException(
        "Tenant " + tenant.id() + " is on no shard: add it to the shard directory", "42501"));
    IsolationStrategy shard = shards.get(name);
    if (shard == null) {
      throw new SQLNonTransientConnectionException("Tenant " + tenant.id() + " is assigned to shard '" + name
          + "', which is not configured; shards: " + shards.keySet(), "42501");
    }
    return shard.connect(tenant);
  }

  @Override
  Connection connectAsPlatform(PlatformAccess access) throws SQLException {
    throw new SQLNonTransientConnectionException("Platform work on a sharded data source must choose a shard: use "
        + "TenantAwareDataSource.of(sharded.shard(name)) for each shard", "42501");
  }

  @Override
  BindingStatistics statistics() {
    return shards.values().stream().map(IsolationStrategy::statistics)
        .reduce(new BindingStatistics(0, 0, 0), BindingStatistics::plus);
  }

  @Override
  void close() {
    shards.values().forEach(IsolationStrategy::close);
  }

  /** Configures {@link Sharded}. */
  public static final class Builder {
    private final ShardDirectory directory;
    private final Map<String, IsolationStrategy> shards = new LinkedHashMap<>();

    private Builder(ShardDirectory directory) {
      this.directory = directory;
    }

    /**
     * Adds a shard.
     *
     * @param name the shard's name, as the directory answers it
     * @param strategy how the shard isolates its tenants (not another {@link Sharded})
     * @return this builder
     */
    public Builder shard(String name, IsolationStrategy strategy) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(strategy, "strategy");
      if (strategy instanceof Sharded) {
        throw new IllegalArgumentException("A shard cannot itself be sharded");
      }
      if (shards.putIfAbsent(name, strategy) != null) {
        throw new IllegalArgumentException("Shard '" + name + "' is configured twice");
      }
      return this;
    }

    /** @return the strategy */
    public Sharded build() {
      if (shards.isEmpty()) {
        throw new IllegalStateException("A sharded data source needs at least one shard");
      }
      return new Sharded(directory, shards);
    }
  }
}
