package dev.tenancy.jdbc.move;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import dev.tenancy.jdbc.spi.MutableShardDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every {@link MutableShardDirectory} must do: a move is a compare-and-set that exactly one caller wins. */
abstract class MutableShardDirectoryContract {

  /** @return an empty directory */
  protected abstract MutableShardDirectory directory();

  /** Puts a tenant on a shard the way this implementation places new tenants. */
  protected abstract void place(MutableShardDirectory directory, TenantId tenant, String shard);

  @Test
  void move_fromTheShardItIsOn_switchesAndTheNextLookupAnswersTheNewShard() {
    MutableShardDirectory directory = directory();
    TenantId acme = TenantId.random();
    place(directory, acme, "shared");
    assertThat(directory.shardOf(acme)).contains("shared");

    assertThat(directory.move(acme, "shared", "dedicated")).isTrue();

    assertThat(directory.shardOf(acme)).contains("dedicated");
  }

  @Test
  void move_fromAShardItIsNotOn_changesNothing() {
    MutableShardDirectory directory = directory();
    TenantId acme = TenantId.random();
    place(directory, acme, "shared");

    assertThat(directory.move(acme, "schemas", "dedicated")).isFalse();

    assertThat(directory.shardOf(acme)).contains("shared");
  }

  @Test
  void move_unknownTenant_isNotPlacedAnywhere() {
    MutableShardDirectory directory = directory();
    TenantId stranger = TenantId.random();

    assertThat(directory.move(stranger, "shared", "dedicated")).isFalse();

    assertThat(directory.shardOf(stranger)).isEmpty();
  }

  @Test
  void move_toTheSameShard_isRefused() {
    MutableShardDirectory directory = directory();
    assertThatThrownBy(() -> directory.move(TenantId.random(), "shared", "shared"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two different shards");
  }

  @Test
  void move_leavesOtherTenantsWhereTheyAre() {
    MutableShardDirectory directory = directory();
    TenantId acme = TenantId.random();
    TenantId globex = TenantId.random();
    place(directory, acme, "shared");
    place(directory, globex, "shared");

    directory.move(acme, "shared", "dedicated");

    assertThat(directory.shardOf(globex)).contains("shared");
  }

  @Test
  void move_shardNameWithSqlInIt_isStoredAsAValue() {
    MutableShardDirectory directory = directory();
    TenantId acme = TenantId.random();
    place(directory, acme, "shared");
    String hostile = "x'; DELETE FROM shard_assignments; --";

    assertThat(directory.move(acme, "shared", hostile)).isTrue();

    assertThat(directory.shardOf(acme)).contains(hostile);
    assertThat(directory.move(acme, hostile, "shared")).isTrue();
  }

  /**
   * Eight movers race to take one tenant off the same shard, each to a shard of its own: exactly one wins, and the
   * tenant ends on the winner's shard — two movers both believing they moved it would each purge the other's copy.
   */
  @Test
  void concurrentMoves_fromTheSameShard_exactlyOneWins() throws Exception {
    MutableShardDirectory directory = directory();
    TenantId acme = TenantId.random();
    place(directory, acme, "shared");
    int movers = 8;
    CyclicBarrier start = new CyclicBarrier(movers);
    ExecutorService pool = Executors.newFixedThreadPool(movers);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < movers; i++) {
        String target = "target-" + i;
        results.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return directory.move(acme, "shared", target);
        }));
      }
      List<String> winners = new ArrayList<>();
      for (int i = 0; i < movers; i++) {
        if (results.get(i).get(20, TimeUnit.SECONDS)) {
          winners.add("target-" + i);
        }
      }
      assertThat(winners).hasSize(1);
      assertThat(directory.shardOf(acme)).contains(winners.get(0));
    } finally {
      pool.shutdownNow();
    }
  }
}
