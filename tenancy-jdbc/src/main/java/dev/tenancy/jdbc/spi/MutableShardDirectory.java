package dev.tenancy.jdbc.spi;

import dev.tenancy.core.TenantId;
import java.time.Duration;

/**
 * A {@link ShardDirectory} that can move a tenant to another shard, as moving a tenant between places needs: the
 * switch is a compare-and-set, so two movers (or a mover and an operator) can never both think they placed it.
 *
 * <pre>{@code
 * if (!directory.move(acme.id(), "shared", "dedicated")) {
 *   // acme was not on "shared" any more: somebody else moved it; nothing changed
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public interface MutableShardDirectory extends ShardDirectory {

  /**
   * Moves a tenant to another shard if, and only if, it is on {@code expectedShard} now — atomically, for every
   * reader of this directory (other app instances included, after {@link #propagationDelay()}).
   *
   * @param tenant the tenant
   * @param expectedShard the shard it must be on now
   * @param newShard the shard it is on afterwards
   * @return {@code true} if it was switched; {@code false} if it was not on {@code expectedShard} (or unknown), in
   *     which case nothing changed
   * @throws IllegalArgumentException if the two shard names are equal
   */
  boolean move(TenantId tenant, String expectedShard, String newShard);

  /**
   * How long after a {@link #move} a reader elsewhere (another app instance with a cache) may still answer the old
   * shard. A mover keeps the tenant out of service at least this long after switching, so that no request is served
   * from the place it just left.
   *
   * @return zero (the default) if every reader sees a move at once
   */
  default Duration propagationDelay() {
    return Duration.ZERO;
  }
}
