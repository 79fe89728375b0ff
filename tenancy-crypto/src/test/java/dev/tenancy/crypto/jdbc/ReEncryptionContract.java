package dev.tenancy.crypto.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import dev.tenancy.crypto.DecryptionFailedException;
import dev.tenancy.crypto.TenantCipher;
import dev.tenancy.crypto.TenantKeys;
import dev.tenancy.crypto.memory.InMemoryTenantKeyStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link EncryptedColumns} and {@link ReEncryption} against a real table {@code leads} holding two tenants' rows
 * (interleaved ids: tenant A odd, tenant B even) with a text column {@code email} (some NULL), a text column
 * {@code phone} and a binary column {@code doc}. Subclasses supply the database (H2, PostgreSQL).
 */
abstract class ReEncryptionContract {

  static final int ROWS_PER_TENANT = 23;

  /** @return an empty database in which the test may create table {@code leads} */
  protected abstract DataSource dataSource();

  protected final TenantId tenantA = TenantId.of(UUID.randomUUID());
  protected final TenantId tenantB = TenantId.of(UUID.randomUUID());
  protected TenantKeys keys;
  protected TenantCipher cipher;
  protected EncryptedColumns columns;

  @BeforeEach
  void createTable() throws SQLException {
    keys = TenantKeys.builder(new TestKek(), new InMemoryTenantKeyStore()).build();
    keys.create(tenantA);
    keys.create(tenantB);
    cipher = TenantCipher.of(keys);
    columns = EncryptedColumns.of(cipher);
    try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS leads");
      statement.execute("CREATE TABLE leads (id BIGINT PRIMARY KEY, tenant_id UUID NOT NULL, email VARCHAR(500),"
          + " phone VARCHAR(500), doc BYTEA)");
    }
    try (Connection connection = dataSource().getConnection();
        PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO leads (id, tenant_id, email, phone, doc) VALUES (?, ?, ?, ?, ?)")) {
      for (int i = 1; i <= 2 * ROWS_PER_TENANT; i++) {
        TenantId tenant = i % 2 == 1 ? tenantA : tenantB;
        insert.setLong(1, i);
        insert.setObject(2, tenant.value());
        columns.set(insert, 3, tenant, "leads.email", i % 5 == 0 ? null : email(i));
        columns.set(insert, 4, tenant, "leads.phone", "+4930" + i);
        insert.setBytes(5, cipher.encrypt(tenant, "leads.doc", doc(i)));
        insert.executeUpdate();
      }
    }
  }

  private ReEncryption.Builder walker() {
    return ReEncryption.builder(cipher, dataSource()).table("leads").primaryKey("id").tenantColumn("tenant_id")
        .column("email", "leads.email").column("phone", "leads.phone").column("doc", "leads.doc");
  }

  @Test
  void columns_roundTripTextAndNull() throws SQLException {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement query = connection.prepareStatement(
            "SELECT id, email, phone FROM leads WHERE tenant_id = ? ORDER BY id")) {
      query.setObject(1, tenantA.value());
      try (ResultSet rows = query.executeQuery()) {
        int count = 0;
        while (rows.next()) {
          long id = rows.getLong("id");
          assertThat(rows.getString("email")).as("stored encrypted").isNotEqualTo(email(id));
          assertThat(columns.get(rows, "email", tenantA, "leads.email")).isEqualTo(id % 5 == 0 ? null : email(id));
          assertThat(columns.get(rows, 3, tenantA, "leads.phone")).isEqualTo("+4930" + id);
          count++;
        }
        assertThat(count).isEqualTo(ROWS_PER_TENANT);
      }
    }
  }

  @Test
  void columns_valueCopiedToAnotherColumn_failsToDecrypt() throws SQLException {
    execute("UPDATE leads SET phone = email WHERE id = 1");
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT email, phone FROM leads WHERE id = 1")) {
      rows.next();
      assertThat(columns.get(rows, "email", tenantA, "leads.email")).isEqualTo(email(1));
      assertThatThrownBy(() -> columns.get(rows, "phone", tenantA, "leads.phone"))
          .isInstanceOf(DecryptionFailedException.class);
    }
  }

  @Test
  void columns_valueCopiedToAnotherTenantsRow_failsToDecrypt() throws SQLException {
    execute("UPDATE leads SET email = (SELECT email FROM leads WHERE id = 1) WHERE id = 2");
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT email FROM leads WHERE id = 2")) {
      rows.next();
      assertThatThrownBy(() -> columns.get(rows, "email", tenantB, "leads.email"))
          .isInstanceOf(DecryptionFailedException.class);
    }
  }

  @Test
  void run_afterRotation_reEncryptsOnlyThatTenantInBatches_andSecondRunTouchesNothing() throws SQLException {
    Map<Long, Object[]> before = snapshot();
    keys.rotate(tenantA);

    ReEncryption.Result result = walker().batchSize(5).build().run(tenantA);

    long nullEmails = before.values().stream().filter(row -> row[0].equals(tenantA.value()) && row[1] == null).count();
    assertThat(nullEmails).isPositive();
    assertThat(result.targetVersion()).isEqualTo(2);
    assertThat(result.rowsScanned()).isEqualTo(ROWS_PER_TENANT);
    assertThat(result.rowsUpdated()).isEqualTo(ROWS_PER_TENANT);
    assertThat(result.valuesReEncrypted()).isEqualTo(3L * ROWS_PER_TENANT - nullEmails);
    assertThat(result.batches()).isEqualTo((ROWS_PER_TENANT + 4) / 5);

    Map<Long, Object[]> after = snapshot();
    for (Map.Entry<Long, Object[]> entry : after.entrySet()) {
      long id = entry.getKey();
      Object[] row = entry.getValue();
      if (row[0].equals(tenantB.value())) {
        assertThat(Arrays.deepEquals(row, before.get(id))).as("tenant B's row %d untouched", id).isTrue();
        continue;
      }
      if (row[1] != null) {
        assertThat(TenantCipher.keyVersionOf((String) row[1])).isEqualTo(2);
        assertThat(cipher.decryptString(tenantA, "leads.email", (String) row[1])).isEqualTo(email(id));
      } else {
        assertThat(id % 5).isZero();
      }
      assertThat(TenantCipher.keyVersionOf((String) row[2])).isEqualTo(2);
      assertThat(cipher.decryptString(tenantA, "leads.phone", (String) row[2])).isEqualTo("+4930" + id);
      assertThat(TenantCipher.keyVersionOf((byte[]) row[3])).isEqualTo(2);
      assertThat(cipher.decrypt(tenantA, "leads.doc", (byte[]) row[3])).isEqualTo(doc(id));
    }

    ReEncryption.Result again = walker().batchSize(5).build().run(tenantA);
    assertThat(again.rowsScanned()).isEqualTo(ROWS_PER_TENANT);
    assertThat(again.rowsUpdated()).isZero();
    assertThat(again.valuesReEncrypted()).isZero();
    assertThat(snapshot()).usingRecursiveComparison().isEqualTo(after);
  }

  @Test
  void run_batchSizeEqualToRowCount_andLargerThanIt_finish() {
    keys.rotate(tenantA);
    ReEncryption.Result exact = walker().batchSize(ROWS_PER_TENANT).build().run(tenantA);
    assertThat(exact.rowsUpdated()).isEqualTo(ROWS_PER_TENANT);
    assertThat(exact.batches()).as("one full batch, then an empty one").isEqualTo(2);

    keys.rotate(tenantA);
    ReEncryption.Result large = walker().batchSize(1000).build().run(tenantA);
    assertThat(large.targetVersion()).isEqualTo(3);
    assertThat(large.rowsUpdated()).isEqualTo(ROWS_PER_TENANT);
    assertThat(large.batches()).isEqualTo(1);
  }

  /**
   * A value that does not decrypt stops the run: its batch is rolled back, earlier batches stay committed, and once
   * the value is fixed a second run finishes exactly the rest.
   */
  @Test
  void run_valueThatDoesNotDecrypt_stopsWithBatchRolledBack_andIsResumable() throws SQLException {
    keys.rotate(tenantA);
    // Row 15 (the 8th of tenant A: second batch of 5) gets tenant B's ciphertext.
    execute("UPDATE leads SET phone = (SELECT phone FROM leads WHERE id = 16) WHERE id = 15");

    assertThatThrownBy(() -> walker().batchSize(5).build().run(tenantA))
        .isInstanceOf(ReEncryptionFailedException.class)
        .hasMessageContaining("\"phone\"").hasMessageContaining("id\" = 15")
        .hasCauseInstanceOf(DecryptionFailedException.class);

    Map<Long, Object[]> partial = snapshot();
    for (long id = 1; id <= 9; id += 2) {
      assertThat(TenantCipher.keyVersionOf((String) partial.get(id)[2])).as("row %d, first batch", id).isEqualTo(2);
    }
    for (long id = 11; id <= 2L * ROWS_PER_TENANT; id += 2) {
      assertThat(TenantCipher.keyVersionOf((String) partial.get(id)[2])).as("row %d, not reached", id).isEqualTo(1);
    }

    try (Connection connection = dataSource().getConnection();
        PreparedStatement fix = connection.prepareStatement("UPDATE leads SET phone = ? WHERE id = 15")) {
      columns.set(fix, 1, tenantA, "leads.phone", "+493015");
      fix.executeUpdate();
    }
    ReEncryption.Result rest = walker().batchSize(5).build().run(tenantA);
    assertThat(rest.rowsUpdated()).isEqualTo(ROWS_PER_TENANT - 5);
    assertThat(walker().build().run(tenantA).valuesReEncrypted()).isZero();
  }

  @Test
  void run_tenantWithoutRotation_updatesNothing() throws SQLException {
    Map<Long, Object[]> before = snapshot();
    ReEncryption.Result result = walker().batchSize(4).build().run(tenantB);
    assertThat(result.rowsScanned()).isEqualTo(ROWS_PER_TENANT);
    assertThat(result.valuesReEncrypted()).isZero();
    assertThat(snapshot()).usingRecursiveComparison().isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"leads; DROP TABLE leads", "leads\"", "leads--", "a.b.c", "public.leads x", "1leads", "",
      "lea ds", "leads)", "\"leads\""})
  void build_sqlIshTableName_refused(String table) throws SQLException {
    assertThatThrownBy(() -> walker().table(table).build()).isInstanceOf(IllegalArgumentException.class);
    assertThat(snapshot()).hasSize(2 * ROWS_PER_TENANT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"id OR 1=1", "id\"", "id; --", "x.id", "id)", "ïd"})
  void build_sqlIshColumnNames_refused(String name) {
    assertThatThrownBy(() -> walker().primaryKey(name).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> walker().tenantColumn(name).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> walker().column(name, "leads.x").build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void build_missingOrConflictingSettings_refused() {
    assertThatThrownBy(() -> ReEncryption.builder(cipher, dataSource()).table("leads").primaryKey("id").build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> walker().column("id", "leads.id").build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> walker().column("email", "other")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> walker().batchSize(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
      statement.executeUpdate(sql);
    }
  }

  /** Every row as (tenant_id, email, phone, doc) by id. */
  private Map<Long, Object[]> snapshot() throws SQLException {
    Map<Long, Object[]> rows = new HashMap<>();
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT id, tenant_id, email, phone, doc FROM leads")) {
      while (result.next()) {
        rows.put(result.getLong(1), new Object[] {result.getObject(2, UUID.class), result.getString(3),
            result.getString(4), result.getBytes(5)});
      }
    }
    return rows;
  }

  static String email(long id) {
    return "lead" + id + "@example.com";
  }

  static byte[] doc(long id) {
    byte[] bytes = ("document " + id).getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(bytes, bytes.length + (int) (id % 7));
  }
}
