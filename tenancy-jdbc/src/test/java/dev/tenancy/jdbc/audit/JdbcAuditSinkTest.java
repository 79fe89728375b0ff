package dev.tenancy.jdbc.audit;

import static dev.tenancy.jdbc.audit.AuditChains.KEY;
import static dev.tenancy.jdbc.audit.AuditChains.readAll;
import static dev.tenancy.jdbc.audit.AuditChains.seal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditChainConflictException;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.audit.AuditRecordCodec;
import dev.tenancy.core.audit.AuditStorageException;
import dev.tenancy.core.audit.AuditVerification;
import dev.tenancy.core.audit.AuditVerifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link JdbcAuditSink} does beyond the kit, on H2: the text stored verbatim, unreadable rows, failures that are
 * not conflicts, streaming that gives its connection back, and the builder's checks.
 */
class JdbcAuditSinkTest {

  private JdbcDataSource database;
  private JdbcAuditSink sink;

  @BeforeEach
  void createSink() {
    database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:audit_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
    sink = JdbcAuditSink.builder().dataSource(database).build();
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    execute("SHUTDOWN");
  }

  @Test
  void append_storesTheCodecTextVerbatim() throws SQLException {
    TenantId tenant = TenantId.random();
    List<AuditRecord> records = seal(tenant, 3);

    sink.append(records);

    List<String> stored = new ArrayList<>();
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT record FROM \"tenancy_audit\".audit_records ORDER BY sequence")) {
      while (rows.next()) {
        stored.add(rows.getString(1));
      }
    }
    assertThat(stored).containsExactlyElementsOf(records.stream().map(AuditRecordCodec::toJson).toList());
  }

  @Test
  void read_aRowWhoseTextIsNotARecord_failsNamingThePosition_andTheVerifierReportsUnreadable() {
    TenantId tenant = TenantId.random();
    sink.append(seal(tenant, 5));
    execute("UPDATE \"tenancy_audit\".audit_records SET record = '{\"chain\":' WHERE chain = '" + tenant
        + "' AND sequence = 3");

    assertThatThrownBy(() -> readAll(sink, tenant.toString()))
        .isInstanceOf(AuditStorageException.class)
        .hasMessageContaining("chain " + tenant + " at sequence 3");
    AuditVerification result = AuditVerifier.builder().key(KEY).build().verify(sink, tenant.toString());
    assertThat(result.isIntact()).isFalse();
    assertThat(result.problem()).isEqualTo(AuditVerification.Problem.UNREADABLE);
    assertThat(result.detail()).contains("at sequence 3");
    assertThat(result.problemSequence()).isEqualTo(3L);
    assertThat(result.verified()).isEqualTo(2);
  }

  @Test
  void last_whenTheLastTextIsNotARecord_fails() {
    TenantId tenant = TenantId.random();
    sink.append(seal(tenant, 2));
    execute("UPDATE \"tenancy_audit\".audit_records SET record = 'not json' WHERE sequence = 2");

    assertThatThrownBy(() -> sink.last(tenant.toString())).isInstanceOf(AuditStorageException.class)
        .hasMessageContaining("at sequence 2");
  }

  @Test
  void append_positionTakenTwiceInTheSameBatch_isAConflictAndNothingIsStored() {
    TenantId tenant = TenantId.random();
    List<AuditRecord> records = seal(tenant, 3);
    List<AuditRecord> batch = new ArrayList<>(records);
    batch.add(seal(tenant, records.get(0), 1, KEY).get(0)); // a second record at sequence 2

    assertThatThrownBy(() -> sink.append(batch)).isInstanceOfSatisfying(AuditChainConflictException.class,
        conflict -> {
          assertThat(conflict.chain()).isEqualTo(tenant.toString());
          assertThat(conflict.sequence()).isEqualTo(2);
        });
    assertThat(readAll(sink, tenant.toString())).isEmpty();
  }

  @Test
  void append_conflict_namesTheTakenPosition() {
    TenantId tenant = TenantId.random();
    List<AuditRecord> stored = seal(tenant, 4);
    sink.append(stored);
    List<AuditRecord> late = seal(tenant, stored.get(2), 3, KEY); // 4 is taken, 5 and 6 would be new

    assertThatThrownBy(() -> sink.append(late)).isInstanceOfSatisfying(AuditChainConflictException.class,
        conflict -> {
          assertThat(conflict.sequence()).isEqualTo(4);
          assertThat(conflict.getCause()).isInstanceOf(SQLException.class);
        });
    assertThat(readAll(sink, tenant.toString())).containsExactlyElementsOf(stored);
  }

  @Test
  void append_failureOtherThanAConflict_isAStorageErrorAndNothingIsStored() {
    TenantId tenant = TenantId.random();
    AuditRecord good = seal(tenant, 1).get(0);
    AuditRecord tooLong = new AuditRecord("x".repeat(200), 1, AuditRecord.GENESIS, good.hash(), good.mac(),
        good.event());

    assertThatThrownBy(() -> sink.append(List.of(good, tooLong)))
        .isInstanceOf(AuditStorageException.class)
        .isNotInstanceOf(AuditChainConflictException.class)
        .hasMessageContaining("JdbcAuditSink could not append 2 audit records");
    assertThat(readAll(sink, tenant.toString())).isEmpty();
  }

  @Test
  void read_streamsMoreThanOneFetch_andClosingGivesTheConnectionBack() {
    TenantId tenant = TenantId.random();
    List<AuditRecord> records = seal(tenant, JdbcAuditSink.FETCH_SIZE * 2 + 7);
    HikariConfig config = new HikariConfig();
    config.setDataSource(database);
    config.setMaximumPoolSize(1);
    config.setConnectionTimeout(250);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      JdbcAuditSink pooled = JdbcAuditSink.builder().dataSource(pool).migrate(false).build();
      pooled.append(records);

      assertThat(readAll(pooled, tenant.toString())).containsExactlyElementsOf(records);
      try (Stream<AuditRecord> partly = pooled.read(tenant.toString(), 1, AuditRecord.MAX_SEQUENCE)) {
        Iterator<AuditRecord> iterator = partly.iterator();
        assertThat(iterator.next()).isEqualTo(records.get(0));
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("the open stream holds it").isEqualTo(1);
      }
      assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
      assertThat(pooled.last(tenant.toString())).contains(records.get(records.size() - 1));
    }
  }

  @Test
  void readBetween_boundsBeyondTheColumnsRangeOrFinerThanMicroseconds_areExact() {
    TenantId tenant = TenantId.random();
    List<AuditRecord> records = seal(tenant, 5);
    sink.append(records);
    Instant third = records.get(2).event().timestamp();

    try (Stream<AuditRecord> all = sink.readBetween(tenant.toString(), Instant.MIN, Instant.MAX)) {
      assertThat(all).hasSize(5);
    }
    try (Stream<AuditRecord> afterThird = sink.readBetween(tenant.toString(), third.plusNanos(1), Instant.MAX)) {
      assertThat(afterThird.toList()).containsExactlyElementsOf(records.subList(3, 5));
    }
    try (Stream<AuditRecord> upToThird = sink.readBetween(tenant.toString(), Instant.MIN, third.plusNanos(1))) {
      assertThat(upToThird.toList()).containsExactlyElementsOf(records.subList(0, 3));
    }
    try (Stream<AuditRecord> backwards = sink.readBetween(tenant.toString(), Instant.MAX, Instant.MIN)) {
      assertThat(backwards).isEmpty();
    }
  }

  @Test
  void deleteBefore_andErase_onH2_removeWithPlainDeletes() {
    TenantId tenant = TenantId.random();
    sink.append(seal(tenant, 5));

    assertThat(sink.deleteBefore(tenant.toString(), 3)).isEqualTo(2);
    assertThat(sink.erase(tenant.toString())).isEqualTo(3);
    assertThat(sink.chains()).doesNotContain(tenant.toString());
  }

  @Test
  void build_customSchema_keepsItsOwnTable() {
    JdbcAuditSink other = JdbcAuditSink.builder().dataSource(database).schema("audit_two").build();
    TenantId tenant = TenantId.random();

    other.append(seal(tenant, 2));

    assertThat(readAll(other, tenant.toString())).hasSize(2);
    assertThat(readAll(sink, tenant.toString())).isEmpty();
    assertThat(other).hasToString("JdbcAuditSink[h2, schema=audit_two]");
  }

  @Test
  void build_withoutDataSource_refused() {
    assertThatThrownBy(() -> JdbcAuditSink.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dataSource(...)");
  }

  @Test
  void build_invalidSchema_refused() {
    assertThatThrownBy(() -> JdbcAuditSink.builder().dataSource(database).schema("Audit; DROP").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void build_withoutMigrationOnAnEmptyDatabase_failsFastNamingTheTable() {
    JdbcDataSource empty = new JdbcDataSource();
    empty.setURL("jdbc:h2:mem:audit_empty_" + UUID.randomUUID().toString().replace("-", ""));

    assertThatThrownBy(() -> JdbcAuditSink.builder().dataSource(empty).migrate(false).build())
        .isInstanceOf(AuditStorageException.class)
        .hasMessageContaining("\"tenancy_audit\".audit_records");
  }

  @Test
  void grantSql_grantsInsertSelectAndTheRemovalFunctionsOnly_withQuotedNames() {
    assertThat(JdbcAuditSink.grantSql("app\"; DROP TABLE x; --")).containsExactly(
        "GRANT USAGE ON SCHEMA \"tenancy_audit\" TO \"app\"\"; DROP TABLE x; --\"",
        "GRANT SELECT, INSERT ON \"tenancy_audit\".audit_records TO \"app\"\"; DROP TABLE x; --\"",
        "GRANT EXECUTE ON FUNCTION \"tenancy_audit\".audit_delete_before(TEXT, BIGINT),"
            + " \"tenancy_audit\".audit_erase(TEXT) TO \"app\"\"; DROP TABLE x; --\"");
    assertThatThrownBy(() -> JdbcAuditSink.grantSql("Bad-Schema", "app"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void execute(String sql) {
    try (Connection connection = database.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
