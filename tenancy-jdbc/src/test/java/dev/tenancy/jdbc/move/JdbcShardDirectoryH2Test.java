package dev.tenancy.jdbc.move;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import dev.tenancy.jdbc.spi.MutableShardDirectory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcShardDirectory} on an in-memory H2 database: the contract, plus what two app instances over one table
 * see — the cache TTL is how a move reaches the other instance.
 */
class JdbcShardDirectoryH2Test extends MutableShardDirectoryContract {

  private final JdbcDataSource database = new JdbcDataSource();
  private final AtomicLong nanos = new AtomicLong();

  JdbcShardDirectoryH2Test() {
    database.setURL("jdbc:h2:mem:shards_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
  }

  @Override
  protected MutableShardDirectory directory() {
    return JdbcShardDirectory.builder().dataSource(database).build();
  }

  @Override
  protected void place(MutableShardDirectory directory, TenantId tenant, String shard) {
    assertThat(((JdbcShardDirectory) directory).place(tenant, shard)).isTrue();
  }

  private JdbcShardDirectory instance(Duration ttl) {
    return JdbcShardDirectory.builder().dataSource(database).cacheTtl(ttl).ticker(nanos::get).build();
  }

  @Test
  void anotherInstance_answersTheOldShardUntilItsCacheExpires_thenTheNewOne() {
    JdbcShardDirectory mover = instance(Duration.ofSeconds(5));
    JdbcShardDirectory other = instance(Duration.ofSeconds(5));
    TenantId acme = TenantId.random();
    mover.place(acme, "shared");
    assertThat(other.shardOf(acme)).contains("shared");

    assertThat(mover.move(acme, "shared", "dedicated")).isTrue();

    assertThat(mover.shardOf(acme)).contains("dedicated");
    assertThat(other.shardOf(acme)).contains("shared");
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(other.shardOf(acme)).contains("dedicated");
    assertThat(other.propagationDelay()).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void withoutACache_everyInstanceSeesAMoveAtOnce() {
    JdbcShardDirectory mover = instance(Duration.ZERO);
    JdbcShardDirectory other = instance(Duration.ZERO);
    TenantId acme = TenantId.random();
    mover.place(acme, "shared");
    assertThat(other.shardOf(acme)).contains("shared");

    mover.move(acme, "shared", "dedicated");

    assertThat(other.shardOf(acme)).contains("dedicated");
    assertThat(other.propagationDelay()).isZero();
  }

  @Test
  void unknownTenant_isNotCached_soANewPlacementIsServedEverywhereAtOnce() {
    JdbcShardDirectory creator = instance(Duration.ofSeconds(5));
    JdbcShardDirectory other = instance(Duration.ofSeconds(5));
    TenantId acme = TenantId.random();
    assertThat(other.shardOf(acme)).isEmpty();

    creator.place(acme, "shared");

    assertThat(other.shardOf(acme)).contains("shared");
  }

  @Test
  void place_onAnotherShard_isRefusedAndChangesNothing() {
    JdbcShardDirectory directory = instance(Duration.ofSeconds(5));
    TenantId acme = TenantId.random();
    assertThat(directory.place(acme, "shared")).isTrue();
    assertThat(directory.place(acme, "shared")).isTrue();

    assertThat(directory.place(acme, "dedicated")).isFalse();

    assertThat(directory.shardOf(acme)).contains("shared");
    assertThat(directory.assignments()).containsExactlyEntriesOf(java.util.Map.of(acme, "shared"));
  }

  @Test
  void remove_forgetsTheTenant() {
    JdbcShardDirectory directory = instance(Duration.ofSeconds(5));
    TenantId acme = TenantId.random();
    directory.place(acme, "shared");
    assertThat(directory.shardOf(acme)).contains("shared");

    assertThat(directory.remove(acme)).isTrue();

    assertThat(directory.shardOf(acme)).isEmpty();
    assertThat(directory.remove(acme)).isFalse();
  }

  @Test
  void build_twiceOnOneSchema_migratesOnce() {
    JdbcShardDirectory first = instance(Duration.ZERO);
    TenantId acme = TenantId.random();
    first.place(acme, "shared");

    assertThat(instance(Duration.ZERO).shardOf(acme)).contains("shared");
  }

  @Test
  void unreachableTable_isATypedFailure_neverAGuess() throws SQLException {
    JdbcShardDirectory directory = instance(Duration.ZERO);
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE \"tenancy_shards\".shard_assignments");
    }

    assertThatThrownBy(() -> directory.shardOf(TenantId.random()))
        .isInstanceOf(ShardDirectoryAccessException.class).hasMessageContaining("migrations ran");
  }

  @Test
  void builder_refusesABadSchemaAndNegativeTtl() {
    assertThatThrownBy(() -> JdbcShardDirectory.builder().dataSource(database).schema("x; drop").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JdbcShardDirectory.builder().cacheTtl(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JdbcShardDirectory.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("dataSource");
  }
}
