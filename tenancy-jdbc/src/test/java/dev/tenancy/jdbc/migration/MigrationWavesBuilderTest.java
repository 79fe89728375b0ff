package dev.tenancy.jdbc.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.TenantValidationException;
import dev.tenancy.core.memory.InMemoryTenantStore;
import java.time.Duration;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** {@link MigrationWaves.Builder} refuses configurations that could not work, with messages that say what to do. */
class MigrationWavesBuilderTest {

  private final JdbcDataSource database = new JdbcDataSource();
  private final InMemoryTenantStore tenants = new InMemoryTenantStore();

  MigrationWavesBuilderTest() {
    database.setURL("jdbc:h2:mem:builder_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
  }

  @Test
  void build_tenantsWithoutAPlace_orAPlaceWithoutTenants_orNothing_isRefused() {
    assertThatThrownBy(() -> MigrationWaves.builder().tenants(tenants).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("schemas(adminDataSource)");
    assertThatThrownBy(() -> MigrationWaves.builder().schemas(database).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tenants(");
    assertThatThrownBy(() -> MigrationWaves.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Nothing to migrate");
  }

  @Test
  void build_schemasAndDatabases_isRefused() {
    assertThatThrownBy(() -> MigrationWaves.builder().tenants(tenants).schemas(database)
        .databases("jdbc:postgresql://db/{database}").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
  }

  @Test
  void build_urlTemplateWithoutPlaceholder_isRefused() {
    assertThatThrownBy(() -> MigrationWaves.builder().tenants(tenants).databases("jdbc:postgresql://db/tenants")
        .build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{database}");
  }

  @Test
  void build_namedAndCountedCanaries_isRefused() {
    assertThatThrownBy(() -> MigrationWaves.builder().tenants(tenants).schemas(database).canaries("acme")
        .canaryCount(2).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
  }

  @Test
  void options_outOfRange_areRefusedWhenSet() {
    MigrationWaves.Builder builder = MigrationWaves.builder();
    assertThatThrownBy(() -> builder.parallelism(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.waveSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.canaryCount(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.maxFailures(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.lease(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.prefix("Tenant-")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.canaries("Not A Slug")).isInstanceOf(TenantValidationException.class);
    assertThatThrownBy(() -> builder.sharedSchema(database, "public")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.historyTable("history; DROP TABLE x").tenants(tenants).schemas(database)
        .build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void build_hikariPoolSmallerThanTwiceTheParallelism_isRefused() {
    HikariConfig config = new HikariConfig();
    config.setDataSource(database);
    config.setMaximumPoolSize(5);
    config.setPoolName("admin");
    try (HikariDataSource pool = new HikariDataSource(config)) {
      assertThatThrownBy(() -> MigrationWaves.builder().tenants(tenants).schemas(pool).parallelism(3).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 6 connections")
          .hasMessageContaining("'admin' has at most 5");
      assertThat(MigrationWaves.builder().tenants(tenants).schemas(pool).parallelism(2).build()).isNotNull();
    }
  }

  @Test
  void run_unknownCanary_isAConfigurationError() throws Exception {
    tenants.insert(WavesFixture.tenant("acme", TenantStatus.ACTIVE));
    MigrationWaves waves = MigrationWaves.builder().tenants(tenants).schemas(database)
        .locations(WavesFixture.V1).canaries("globex").build();

    assertThatThrownBy(waves::run).isInstanceOf(TenancyConfigurationException.class)
        .hasMessageContaining("'globex'");
  }
}
