package dev.tenancy.jdbc.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantSlug;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The copy engine on H2, schema per tenant: discovery, digest and copy between two databases. */
class TenantDataCopyH2Test {

  private final H2Place source = new H2Place();
  private final H2Place target = new H2Place();
  private final TenantInfo acme = TenantInfo.of(TenantId.random(), TenantSlug.of("acme"));

  @AfterEach
  void close() {
    source.close();
    target.close();
  }

  @Test
  void discover_findsTheTenantsTablesParentsFirst_withoutLibraryTables() {
    source.createShop(acme);
    TenantTables tables = TenantTables.discover(source.dataSource, acme);
    assertThat(tables.kind()).isEqualTo(PlaceKind.SCHEMA);
    assertThat(tables.tables()).extracting(TenantTable::name).containsExactly("CUSTOMERS", "ORDERS", "ORDER_LINES");
    assertThat(tables.table("orders").orElseThrow().column("doc").orElseThrow().type()).isEqualTo(ColumnType.JSON);
    assertThat(tables.table("customers").orElseThrow().column("id").orElseThrow().autoIncrement()).isTrue();
    assertThat(tables.table("order_lines").orElseThrow().primaryKey()).containsExactly("ORDER_ID", "LINE");
  }

  @Test
  void discover_onlyLooksAtTheTenantsOwnSchema_evenWhenAnotherSchemaMatchesTheLikePattern() {
    source.createShop(acme);
    // '_' in tenant_acme is a LIKE wildcard: a schema "tenantXacme" must not leak into acme's tables
    source.execute("CREATE SCHEMA \"tenantXacme\"", "CREATE TABLE \"tenantXacme\".secrets (id INT PRIMARY KEY)");
    assertThat(TenantTables.discover(source.dataSource, acme).tables()).extracting(TenantTable::name)
        .doesNotContain("SECRETS");
  }

  @Test
  void discover_foreignKeyCycle_isAClearException() {
    String s = H2Place.schema(acme);
    source.execute("CREATE SCHEMA " + s, "CREATE TABLE " + s + ".a (id INT PRIMARY KEY, b_id INT)",
        "CREATE TABLE " + s + ".b (id INT PRIMARY KEY, a_id INT REFERENCES " + s + ".a(id))",
        "ALTER TABLE " + s + ".a ADD FOREIGN KEY (b_id) REFERENCES " + s + ".b(id)");
    assertThatThrownBy(() -> TenantTables.discover(source.dataSource, acme))
        .isInstanceOf(ForeignKeyCycleException.class)
        .hasMessageContaining("[A, B]")
        .hasMessageContaining("DEFERRABLE");
  }

  @Test
  void discover_unsupportedColumnType_namesTableAndColumn() {
    String s = H2Place.schema(acme);
    source.execute("CREATE SCHEMA " + s, "CREATE TABLE " + s + ".tags (id INT PRIMARY KEY, labels INTEGER ARRAY)");
    assertThatThrownBy(() -> TenantTables.discover(source.dataSource, acme))
        .isInstanceOfSatisfying(UnsupportedColumnTypeException.class, e -> {
          assertThat(e.table()).isEqualTo("TAGS");
          assertThat(e.column()).isEqualTo("LABELS");
        })
        .hasMessageContaining("TAGS.LABELS");
  }

  @Test
  void copy_everyTypeAndNull_arrivesUnchanged_andDigestsAreEqual() throws Exception {
    source.createShop(acme);
    target.createShop(acme);
    seed(source, acme, 3);
    TenantDataDigest before = TenantDataDigest.of(source.dataSource, acme);

    assertThat(TenantDataCopy.copy(acme, source.dataSource, target.dataSource))
        .containsExactly(java.util.Map.entry("CUSTOMERS", 3L), java.util.Map.entry("ORDERS", 4L),
            java.util.Map.entry("ORDER_LINES", 3L));

    TenantDataDigest after = TenantDataDigest.of(target.dataSource, acme);
    assertThat(after).isEqualTo(before);
    assertThat(after.rows()).isEqualTo(10);
    try (TenantScope scope = TenantContext.enter(acme); Connection connection = target.dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT total, placed_at, doc, raw, order_day, at_time, local_ts, ratio,"
            + " score, paid, note FROM orders WHERE qty = 7")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getBigDecimal(1)).isEqualTo(new BigDecimal("12.50"));
      assertThat(row.getObject(2, OffsetDateTime.class).toInstant())
          .isEqualTo(OffsetDateTime.of(2024, 2, 29, 23, 30, 0, 123_456_000, ZoneOffset.ofHours(2)).toInstant());
      assertThat(row.getString(3)).isEqualTo("{\"a\":[1,2,{\"b\":null}]}");
      assertThat(row.getBytes(4)).containsExactly(0, 1, -1, 127);
      assertThat(row.getObject(5, LocalDate.class)).isEqualTo(LocalDate.of(1999, 12, 31));
      assertThat(row.getObject(6, LocalTime.class)).isEqualTo(LocalTime.of(13, 14, 15));
      assertThat(row.getObject(7, LocalDateTime.class)).isEqualTo(LocalDateTime.of(2020, 1, 2, 3, 4, 5));
      assertThat(row.getDouble(8)).isEqualTo(0.1 + 0.2);
      assertThat(row.getFloat(9)).isEqualTo(1.1f);
      assertThat(row.getBoolean(10)).isTrue();
      assertThat(row.getString(11)).isEqualTo("line one\nline two – ünïcødé ✓");
    }
  }

  @Test
  void digest_changesWhenOneValueChanges() {
    source.createShop(acme);
    seed(source, acme, 2);
    TenantDataDigest before = TenantDataDigest.of(source.dataSource, acme);
    source.execute("UPDATE " + H2Place.schema(acme) + ".order_lines SET product = 'other' WHERE line = 1");
    TenantDataDigest after = TenantDataDigest.of(source.dataSource, acme);
    assertThat(after).isNotEqualTo(before);
    assertThat(after.differences(before)).containsExactly("order_lines");
    assertThat(after.rowCounts()).isEqualTo(before.rowCounts());
  }

  @Test
  void copy_intoATargetThatHoldsRowsOfTheTenant_isRefusedAndWritesNothing() {
    source.createShop(acme);
    target.createShop(acme);
    seed(source, acme, 2);
    target.execute("INSERT INTO " + H2Place.schema(acme) + ".customers (id, name) VALUES (99, 'already here')");
    TenantDataDigest targetBefore = TenantDataDigest.of(target.dataSource, acme);

    assertThatThrownBy(() -> TenantDataCopy.copy(acme, source.dataSource, target.dataSource))
        .isInstanceOfSatisfying(TargetNotEmptyException.class, e -> assertThat(e.table()).isEqualTo("CUSTOMERS"));
    assertThat(TenantDataDigest.of(target.dataSource, acme)).isEqualTo(targetBefore);
  }

  @Test
  void copy_failingHalfWay_rollsBackEveryTable() {
    source.createShop(acme);
    target.createShop(acme);
    seed(source, acme, 2);
    // the target's last table refuses one product name: customers and orders were already inserted by then
    target.execute("ALTER TABLE " + H2Place.schema(acme) + ".order_lines ADD CONSTRAINT no_widgets"
        + " CHECK (product <> 'widget-1')");

    assertThatThrownBy(() -> TenantDataCopy.copy(acme, source.dataSource, target.dataSource))
        .isInstanceOf(TenantDataAccessException.class)
        .hasMessageContaining("ORDER_LINES");
    assertThat(TenantDataDigest.of(target.dataSource, acme).rows()).isZero();
  }

  @Test
  void copy_targetMissingAColumn_isRefusedBeforeWriting() {
    source.createShop(acme);
    target.createShop(acme);
    seed(source, acme, 1);
    target.execute("ALTER TABLE " + H2Place.schema(acme) + ".orders DROP COLUMN note");

    assertThatThrownBy(() -> TenantDataCopy.copy(acme, source.dataSource, target.dataSource))
        .isInstanceOfSatisfying(TableMismatchException.class, e -> assertThat(e.table()).isEqualTo("ORDERS"))
        .hasMessageContaining("NOTE");
    assertThat(TenantDataDigest.of(target.dataSource, acme).rows()).isZero();
  }

  @Test
  void copy_readsOnlyTheTenantsSchema_notAnotherTenantsWithTheSameTables() {
    TenantInfo globex = TenantInfo.of(TenantId.random(), TenantSlug.of("globex"));
    source.createShop(acme);
    source.createShop(globex);
    target.createShop(acme);
    seed(source, acme, 1);
    seed(source, globex, 5);

    TenantDataCopy.copy(acme, source.dataSource, target.dataSource);

    assertThat(TenantDataDigest.of(target.dataSource, acme)).isEqualTo(TenantDataDigest.of(source.dataSource, acme));
    assertThat(TenantDataDigest.of(target.dataSource, acme).rows()).isEqualTo(1 + 2 + 1);
  }

  /** n customers, n + 1 orders (one with every column null but the keys), n order lines. */
  static void seed(H2Place place, TenantInfo tenant, int n) {
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = place.dataSource.getConnection()) {
      try (PreparedStatement customer = connection.prepareStatement("INSERT INTO customers (name) VALUES (?)")) {
        for (int i = 1; i <= n; i++) {
          customer.setString(1, "customer-" + i);
          customer.executeUpdate();
        }
      }
      long firstCustomer;
      try (Statement statement = connection.createStatement();
          ResultSet min = statement.executeQuery("SELECT min(id) FROM customers")) {
        min.next();
        firstCustomer = min.getLong(1);
      }
      try (PreparedStatement order = connection.prepareStatement("INSERT INTO orders (id, customer_id, total,"
          + " placed_at, note, paid, doc, raw, order_day, at_time, local_ts, ratio, score, qty, big, label)"
          + " VALUES (?, ?, ?, ?, ?, ?, ? FORMAT JSON, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
          PreparedStatement line = connection.prepareStatement(
              "INSERT INTO order_lines (order_id, line, product) VALUES (?, ?, ?)")) {
        for (int i = 1; i <= n; i++) {
          UUID id = UUID.randomUUID();
          order.setObject(1, id);
          order.setLong(2, firstCustomer + i - 1);
          order.setBigDecimal(3, i == 1 ? new BigDecimal("12.50") : BigDecimal.valueOf(i));
          order.setObject(4, OffsetDateTime.of(2024, 2, 29, 23, 30, 0, 123_456_000, ZoneOffset.ofHours(2)));
          order.setString(5, "line one\nline two – ünïcødé ✓");
          order.setBoolean(6, true);
          order.setString(7, "{\"a\":[1,2,{\"b\":null}]}");
          order.setBytes(8, new byte[] {0, 1, -1, 127});
          order.setObject(9, LocalDate.of(1999, 12, 31));
          order.setObject(10, LocalTime.of(13, 14, 15));
          order.setObject(11, LocalDateTime.of(2020, 1, 2, 3, 4, 5));
          order.setDouble(12, 0.1 + 0.2);
          order.setFloat(13, 1.1f);
          order.setShort(14, (short) (i == 1 ? 7 : i));
          order.setLong(15, Long.MAX_VALUE - i);
          order.setString(16, "ab" + i);
          order.executeUpdate();
          line.setObject(1, id);
          line.setInt(2, 1);
          line.setString(3, "widget-" + i);
          line.executeUpdate();
        }
        order.setObject(1, UUID.randomUUID());
        order.setLong(2, firstCustomer);
        for (int p = 3; p <= 16; p++) {
          order.setNull(p, java.sql.Types.NULL);
        }
        order.executeUpdate();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    assertThat("x".getBytes(StandardCharsets.UTF_8)).hasSize(1);
  }
}
