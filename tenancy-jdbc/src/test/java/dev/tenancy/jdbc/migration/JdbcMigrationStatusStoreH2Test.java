package dev.tenancy.jdbc.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.jdbc.spi.MigrationStatusStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JDBC store on H2 against the store contract, plus its table set-up. */
class JdbcMigrationStatusStoreH2Test extends MigrationStatusStoreContract {

  private final JdbcDataSource database = new JdbcDataSource();
  private int stores;

  JdbcMigrationStatusStoreH2Test() {
    database.setURL("jdbc:h2:mem:statuses_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
  }

  @Override
  MigrationStatusStore store() {
    // A schema per store: the contract expects each store() to start empty.
    return JdbcMigrationStatusStore.builder().dataSource(database).schema("statuses_" + ++stores).build();
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
  }

  @Test
  void build_twice_keepsTheTableAndItsRows() {
    JdbcMigrationStatusStore first = JdbcMigrationStatusStore.builder().dataSource(database).build();
    first.insert(dev.tenancy.core.data.TenantMigrationStatus.pendingShared("public", java.time.Instant.now()));

    JdbcMigrationStatusStore second = JdbcMigrationStatusStore.builder().dataSource(database).build();

    assertThat(second.statuses()).hasSize(1);
    assertThat(second.toString()).contains("h2").contains(JdbcMigrationStatusStore.DEFAULT_SCHEMA);
  }

  @Test
  void build_malformedSchemaOrNoDataSource_isRefused() {
    assertThatThrownBy(() -> JdbcMigrationStatusStore.builder().dataSource(database).schema("x\"; DROP").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JdbcMigrationStatusStore.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dataSource(");
  }

  @Test
  void build_withoutMigrating_failsOnFirstUseWithAnExplanation() {
    JdbcMigrationStatusStore store = JdbcMigrationStatusStore.builder().dataSource(database).migrate(false).build();

    assertThatThrownBy(store::statuses).isInstanceOf(MigrationStatusStoreAccessException.class)
        .hasMessageContaining("migrations ran");
  }
}
