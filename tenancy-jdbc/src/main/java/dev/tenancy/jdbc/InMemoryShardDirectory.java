package dev.tenancy.jdbc;

import dev.tenancy.core.TenantId;
import dev.tenancy.jdbc.spi.ShardDirectory;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ShardDirectory} held in memory: for tests, and for deployments that load the map at start-up. */
public final class InMemoryShardDirectory implements ShardDirectory {

  private final ConcurrentHashMap<TenantId, String> shards = new ConcurrentHashMap<>();

  /** Creates an empty directory. */
  public InMemoryShardDirectory() {
  }

  /**
   * Places a tenant on a shard (or moves it: the switch is atomic for the next checkout).
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
}
