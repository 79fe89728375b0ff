package dev.tenancy.jdbc.spi;

import dev.tenancy.core.TenantId;
import java.util.Optional;

/**
 * Knows which shard holds each tenant. Implementations must be fast (they are asked on every checkout — cache if the
 * source is remote) and must answer "unknown" rather than guess: an unknown tenant gets no connection at all.
 */
public interface ShardDirectory {

  /**
   * @param tenant a tenant
   * @return the name of its shard, or empty if the directory does not know it
   */
  Optional<String> shardOf(TenantId tenant);
}
