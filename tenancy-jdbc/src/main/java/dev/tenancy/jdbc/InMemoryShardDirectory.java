package dev.tenancy.jdbc;

import dev.tenancy.core.TenantId;
import dev.tenancy.jdbc.spi.MutableShardDirectory;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link MutableShardDirectory} held in memory: for tests, for one-instance deployments, and for deployments that
 * load the map at start-up. Every reader sees a move at once ({@link #propagationDelay()} is zero) — but only in this
 * JVM: with several app instances use a shared directory such as {@code JdbcShardDirectory}.
 */
public final class InMemoryShardDirectory implements MutableShardDirectory {

  private final ConcurrentHashMap<TenantId, String> shards = new ConcurrentHashMap<>();

  /** Creates an empty directory. */
  public InMemoryShardDirectory() {
  }

  /**
   * Places a tenant on a shard, wherever it was (the change is atomic for the next checkout). To move a tenant whose
   * data already lives somewhere, use {@link #move} (or a {@code TenantMover}), which refuses if it is elsewhere.
   *
   * @param tenant the tenant
   * @param shard the shard's name
   * @return this directory
   */
  public InMemoryShardDirectory assign(TenantId tenant, String shard) {
    shards.put(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(shard, "shard"));
    return this;
  }

  /**
   * Forgets a tenant; it gets no connections afterwards.
   *
   * @param tenant the tenant
   */
  public void remove(TenantId tenant) {
    shards.remove(tenant);
  }

  @Override
  public Optional<String> shardOf(TenantId tenant) {
    return Optional.ofNullable(shards.get(tenant));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One {@link ConcurrentHashMap#replace(Object, Object, Object)}: atomic against concurrent moves and assigns.
   */
  @Override
  public boolean move(TenantId tenant, String expectedShard, String newShard) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(expectedShard, "expectedShard");
    Objects.requireNonNull(newShard, "newShard");
    if (expectedShard.equals(newShard)) {
      throw new IllegalArgumentException("A move needs two different shards; both are '" + newShard + "'");
    }
    return shards.replace(tenant, expectedShard, newShard);
  }
}
