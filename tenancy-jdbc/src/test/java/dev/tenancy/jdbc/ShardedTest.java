package dev.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.jdbc.spi.ShardDirectory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Shards: two embedded databases, each with schema-per-tenant, and a directory that places tenants. */
class ShardedTest {

  private final List<HikariDataSource> pools = new ArrayList<>();
  private final InMemoryShardDirectory directory = new InMemoryShardDirectory();
  private final TenantInfo acme = TenantInfo.of(TenantId.random(), TenantSlug.of("acme"));

  @AfterEach
  void close() {
    pools.forEach(HikariDataSource::close);
  }

  private SchemaPerTenant shard(String name) throws SQLException {
    String url = "jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA \"tenant_acme\"");
      statement.execute("CREATE TABLE \"tenant_acme\".shard_name AS SELECT '" + name + "' AS name");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(1);
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return SchemaPerTenant.builder(pool).build();
  }

  private static String shardSeenBy(TenantInfo tenant, TenantAwareDataSource dataSource) throws SQLException {
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT name FROM shard_name")) {
      rows.next();
      return rows.getString(1);
    }
  }

  @Test
  void tenant_isServedByItsShard_andFollowsAMoveAtTheNextCheckout() throws Exception {
    Sharded sharded = Sharded.builder(directory).shard("eu-1", shard("eu-1")).shard("us-1", shard("us-1")).build();
    TenantAwareDataSource dataSource = TenantAwareDataSource.of(sharded);

    directory.assign(acme.id(), "eu-1");
    assertThat(shardSeenBy(acme, dataSource)).isEqualTo("eu-1");
    directory.assign(acme.id(), "us-1");
    assertThat(shardSeenBy(acme, dataSource)).isEqualTo("us-1");
    assertThat(dataSource.statistics().checkouts()).isEqualTo(2);
  }

  @Test
  void tenantOnNoShard_orOnAnUnconfiguredShard_getsNoConnection() throws Exception {
    TenantAwareDataSource dataSource =
        TenantAwareDataSource.of(Sharded.builder(directory).shard("eu-1", shard("eu-1")).build());
    assertThatThrownBy(() -> shardSeenBy(acme, dataSource)).isInstanceOf(SQLException.class)
        .hasMessageContaining("on no shard");
    directory.assign(acme.id(), "ap-9");
    assertThatThrownBy(() -> shardSeenBy(acme, dataSource)).isInstanceOf(SQLException.class)
        .hasMessageContaining("'ap-9'");
    assertThatThrownBy(() -> TenantContext.asPlatform("ops", "why", dataSource::getConnection))
        .isInstanceOf(SQLException.class).hasMessageContaining("choose a shard");
  }

  @Test
  void directoryThatCannotAnswer_isAnSqlException_andNoConnection() throws Exception {
    ShardDirectory unreachable = tenant -> {
      throw new IllegalStateException("directory table unreachable");
    };
    TenantAwareDataSource dataSource =
        TenantAwareDataSource.of(Sharded.builder(unreachable).shard("eu-1", shard("eu-1")).build());
    assertThatThrownBy(() -> shardSeenBy(acme, dataSource)).isInstanceOf(SQLTransientConnectionException.class)
        .hasMessageContaining("shard directory could not say").hasCauseInstanceOf(IllegalStateException.class);
  }
}
