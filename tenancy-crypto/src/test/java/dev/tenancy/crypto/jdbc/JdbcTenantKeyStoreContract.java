package dev.tenancy.crypto.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenancyException;
import dev.tenancy.core.TenantId;
import dev.tenancy.crypto.DataKeyConflictException;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider.WrappedKey;
import dev.tenancy.crypto.spi.TenantKeyStore.TenantDataKey;
import dev.tenancy.crypto.spi.TenantKeyStore;
import dev.tenancy.crypto.spi.TenantKeyStoreCompatibilityKit;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.usage.JdbcUsageStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * What {@link JdbcTenantKeyStore} promises beyond the compatibility kit, checked in its table: only wrapped bytes are
 * stored, destroy really deletes rows, failures are typed. Subclasses supply the database (H2, PostgreSQL).
 */
abstract class JdbcTenantKeyStoreContract extends TenantKeyStoreCompatibilityKit {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** @return the DataSource of the store {@link #newStore()} returned last */
  protected abstract DataSource dataSource();

  /** @return the schema of the store {@link #newStore()} returned last */
  protected abstract String schema();

  /**
   * Creates a store in a schema of the current database.
   *
   * @param schema the schema
   * @return the store
   */
  protected TenantKeyStore storeIn(String schema) {
    return JdbcTenantKeyStore.builder().dataSource(dataSource()).schema(schema).build();
  }

  @Override
  protected Class<? extends TenancyException> duplicateVersionException() {
    return DataKeyConflictException.class;
  }

  @Override
  protected Class<? extends TenancyException> unknownVersionException() {
    return DataKeyConflictException.class;
  }

  @Test
  void table_holdsOnlyTheWrappedKey_neverTheRawKeyInAnyColumnOrEncoding() throws SQLException {
    TestKek kek = new TestKek();
    TenantId tenant = TenantId.random();
    byte[] rawKey = new byte[32];
    RANDOM.nextBytes(rawKey);
    byte[] context = (tenant + "/1").getBytes(StandardCharsets.UTF_8);
    WrappedKey wrapped = kek.wrap(rawKey, context);
    store.add(new TenantDataKey(tenant, 1, wrapped, Instant.parse("2026-03-01T10:00:00Z")));

    int rows = 0;
    try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT * FROM " + table())) {
      ResultSetMetaData columns = row.getMetaData();
      while (row.next()) {
        rows++;
        for (int column = 1; column <= columns.getColumnCount(); column++) {
          String name = columns.getColumnLabel(column).toLowerCase(Locale.ROOT);
          String text = row.getString(column);
          // Binary columns as they are, any other column as the bytes of its text in either charset.
          byte[] bytes = binary(columns.getColumnType(column)) ? row.getBytes(column)
              : text.getBytes(StandardCharsets.ISO_8859_1);
          assertThat(indexOf(bytes, rawKey)).as("raw key bytes in column %s", name).isEqualTo(-1);
          assertThat(indexOf(text.getBytes(StandardCharsets.UTF_8), rawKey)).as("column %s", name).isEqualTo(-1);
          assertThat(text.toLowerCase(Locale.ROOT)).as("column %s", name)
              .doesNotContain(HexFormat.of().formatHex(rawKey))
              .doesNotContain(Base64.getEncoder().encodeToString(rawKey).toLowerCase(Locale.ROOT));
          if (name.equals("wrapped_key")) {
            // The stored bytes are the wrapping itself, and the KEK turns them back into the raw key: the scan above
            // looked at the right thing.
            assertThat(bytes).isEqualTo(wrapped.ciphertext());
            assertThat(kek.unwrap(new WrappedKey("test-kek-1", bytes), context)).isEqualTo(rawKey);
          }
        }
      }
    }
    assertThat(rows).isEqualTo(1);
  }

  @Test
  void destroy_deletesTheRows_noneLeftBehindFlaggedOrEmptied() throws SQLException {
    TenantId doomed = TenantId.random();
    TenantId survivor = TenantId.random();
    store.add(key(doomed, 1, "kek-1", 0));
    store.add(key(doomed, 2, "kek-1", 0));
    store.add(key(survivor, 1, "kek-1", 0));

    assertThat(store.destroy(doomed)).isEqualTo(2);

    assertThat(countRows("tenant_id = ?", doomed)).isZero();
    assertThat(countRows("1 = 1", null)).isEqualTo(1);
  }

  @Test
  void operations_afterTheTableIsGone_failWithAccessExceptionThatSaysWhatToCheck() throws SQLException {
    TenantId tenant = TenantId.random();
    try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE " + table());
    }

    assertThatThrownBy(() -> store.find(tenant, 1))
        .isInstanceOf(KeyStoreAccessException.class)
        .hasMessageContaining("version 1 of tenant " + tenant)
        .hasMessageContaining("migrations ran");
    assertThatThrownBy(() -> store.add(key(tenant, 1, "kek-1", 0))).isInstanceOf(KeyStoreAccessException.class);
    assertThatThrownBy(() -> store.destroy(tenant)).isInstanceOf(KeyStoreAccessException.class);
    assertThatThrownBy(() -> store.tenants()).isInstanceOf(KeyStoreAccessException.class);
  }

  @Test
  void add_kekIdLongerThanTheColumn_isRefusedBeforeWriting() {
    TenantId tenant = TenantId.random();
    TenantDataKey key = key(tenant, 1, "k".repeat(JdbcTenantKeyStore.MAX_KEK_ID_LENGTH + 1), 0);

    assertThatThrownBy(() -> store.add(key)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter key ids");

    assertThat(store.versions(tenant)).isEmpty();
  }

  @Test
  void build_twiceAndBesideAnotherStoresTables_sharesTheSchema() {
    JdbcUsageStore usage = JdbcUsageStore.builder().dataSource(dataSource()).schema(schema() + "_shared").build();
    usage.save(Map.of("requests", 3L), YearMonth.of(2026, 3));
    TenantKeyStore first = storeIn(schema() + "_shared");
    TenantDataKey key = key(TenantId.random(), 1, "kek-1", 0);
    first.add(key);

    TenantKeyStore again = storeIn(schema() + "_shared");

    assertThat(again.find(key.tenant(), 1)).contains(key);
    assertThat(usage.load(YearMonth.of(2026, 3))).containsEntry("requests", 3L);
  }

  @Test
  void builder_withoutDataSourceOrWithABadSchema_saysWhatToFix() {
    assertThatThrownBy(() -> JdbcTenantKeyStore.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("platform (admin) DataSource");
    assertThatThrownBy(() -> JdbcTenantKeyStore.builder().dataSource(dataSource()).schema("Keys; DROP").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case letters");
  }

  private String table() {
    return SqlIdentifiers.quote(schema()) + ".tenant_data_keys";
  }

  private int countRows(String condition, TenantId tenant) throws SQLException {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM " + table()
            + " WHERE " + condition)) {
      if (tenant != null) {
        query.setObject(1, tenant.value());
      }
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private static boolean binary(int sqlType) {
    return sqlType == Types.BINARY || sqlType == Types.VARBINARY || sqlType == Types.LONGVARBINARY
        || sqlType == Types.BLOB;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
