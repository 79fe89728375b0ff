package dev.tenancy.jdbc.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.jdbc.InMemoryShardDirectory;
import dev.tenancy.jdbc.RowLevelSecurity;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.Sharded;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The copy engine on the real PostgreSQL between shared RLS tables and schemas of their own, through a non-owner role
 * without BYPASSRLS: every row and type arrives, digests agree across places, other tenants are untouched.
 */
class TenantDataCopyPostgresIT {

  private static PgShop shop;

  @BeforeAll
  static void createShop() {
    shop = new PgShop();
  }

  @AfterAll
  static void dropShop() throws SQLException {
    if (shop != null) {
      shop.close();
    }
  }

  private static TenantInfo tenant(String slug) {
    return TenantInfo.of(TenantId.random(), TenantSlug.of(slug + "-" + UUID.randomUUID().toString().substring(0, 6)));
  }

  @Test
  void discover_rls_takesTablesWithTheTenantColumn_withoutLookupOrLibraryTables() {
    TenantTables tables = TenantTables.discover(shop.rls, tenant("look"));
    assertThat(tables.kind()).isEqualTo(PlaceKind.ROW_LEVEL_SECURITY);
    assertThat(tables.tables()).extracting(TenantTable::name).containsExactly("customers", "orders", "order_lines");
    TenantTable orders = tables.table("orders").orElseThrow();
    assertThat(orders.columns()).extracting(TableColumn::type).contains(ColumnType.UUID, ColumnType.DECIMAL,
        ColumnType.TIMESTAMPTZ, ColumnType.JSON, ColumnType.BYTES, ColumnType.BOOLEAN, ColumnType.REAL,
        ColumnType.DOUBLE, ColumnType.TIME, ColumnType.TIMESTAMP, ColumnType.DATE, ColumnType.TEXT,
        ColumnType.INTEGER);
  }

  @Test
  void copy_rlsToSchema_keepsEveryRowAndValue_digestsAgree_andOtherTenantsStayBehind() {
    TenantInfo acme = tenant("acme");
    TenantInfo globex = tenant("globex");
    PgShop.seed(shop.rls, acme, 5);
    PgShop.seed(shop.rls, globex, 3);
    shop.createSchema(acme);
    TenantDataDigest shared = TenantDataDigest.of(shop.rls, acme);
    TenantDataDigest globexBefore = TenantDataDigest.of(shop.rls, globex);

    Map<String, Long> copied = TenantDataCopy.copy(acme, shop.rls, shop.schemas);

    assertThat(copied).containsExactly(Map.entry("customers", 5L), Map.entry("orders", 6L),
        Map.entry("order_lines", 5L));
    TenantDataDigest own = TenantDataDigest.of(shop.schemas, acme);
    assertThat(own).isEqualTo(shared);
    assertThat(own.rows()).isEqualTo(16);
    assertThat(TenantDataDigest.of(shop.rls, globex)).isEqualTo(globexBefore);
    // the digest really is over the values: one changed value in the copy makes them differ
    PgShop.update(shop.schemas, acme, "UPDATE orders SET meta = CAST('{\"b\":  1, \"a\": 3}' AS json)"
        + " WHERE meta IS NOT NULL AND qty = -2");
    assertThat(TenantDataDigest.of(shop.schemas, acme).differences(shared)).containsExactly("orders");
  }

  @Test
  void copy_intoASchema_movesTheIdentitySequencePastTheCopiedIds() {
    TenantInfo acme = tenant("seq");
    PgShop.seed(shop.rls, acme, 4);
    shop.createSchema(acme);
    long maxId = PgShop.queryLong(shop.rls, acme, "SELECT max(id) FROM customers");

    TenantDataCopy.copy(acme, shop.rls, shop.schemas);

    PgShop.update(shop.schemas, acme, "INSERT INTO customers (name) VALUES ('after the move')");
    assertThat(PgShop.queryLong(shop.schemas, acme, "SELECT id FROM customers WHERE name = 'after the move'"))
        .isGreaterThan(maxId);
  }

  @Test
  void copy_schemaToRls_digestsAgree_andTheSharedTablesOtherTenantsAreUntouched() {
    TenantInfo initech = tenant("initech");
    TenantInfo globex = tenant("globex");
    shop.createSchema(initech);
    PgShop.seed(shop.schemas, initech, 4);
    PgShop.seed(shop.rls, globex, 2);
    TenantDataDigest own = TenantDataDigest.of(shop.schemas, initech);
    TenantDataDigest globexBefore = TenantDataDigest.of(shop.rls, globex);

    TenantDataCopy.copy(initech, shop.schemas, shop.rls);

    assertThat(TenantDataDigest.of(shop.rls, initech)).isEqualTo(own);
    assertThat(TenantDataDigest.of(shop.rls, globex)).isEqualTo(globexBefore);
    assertThat(PgShop.queryLong(shop.rls, initech, "SELECT count(*) FROM orders")).isEqualTo(5);
    // and the next customer the application adds gets a fresh id, not one of the copied ones
    PgShop.update(shop.rls, initech, "INSERT INTO customers (organization_id, name) VALUES ('" + initech.id()
        + "', 'new one')");
    assertThat(PgShop.queryLong(shop.rls, initech, "SELECT count(*) FROM customers")).isEqualTo(5);
  }

  @Test
  void copy_fromTransactionLocalRls_readsTheSameRows() {
    TenantInfo acme = tenant("pgbouncer");
    PgShop.seed(shop.rls, acme, 3);
    shop.createSchema(acme);
    TenantAwareDataSource transactionLocal =
        TenantAwareDataSource.of(RowLevelSecurity.builder(shop.pool("txlocal", false)).transactionLocal().build());

    TenantDataCopy.copy(acme, transactionLocal, shop.schemas);

    assertThat(TenantDataDigest.of(shop.schemas, acme)).isEqualTo(TenantDataDigest.of(transactionLocal, acme))
        .isEqualTo(TenantDataDigest.of(shop.rls, acme));
    assertThat(TenantDataDigest.of(shop.schemas, acme).rows()).isEqualTo(3 + 4 + 3);
  }

  @Test
  void copy_intoSharedTablesThatHoldTheTenantsRows_isRefusedAndChangesNothing() {
    TenantInfo acme = tenant("twice");
    shop.createSchema(acme);
    PgShop.seed(shop.schemas, acme, 2);
    PgShop.seed(shop.rls, acme, 1);
    TenantDataDigest before = TenantDataDigest.of(shop.rls, acme);

    assertThatThrownBy(() -> TenantDataCopy.copy(acme, shop.schemas, shop.rls))
        .isInstanceOfSatisfying(TargetNotEmptyException.class, e -> {
          assertThat(e.tenant()).isEqualTo(acme.id());
          assertThat(e.table()).isEqualTo("customers");
        });
    assertThat(TenantDataDigest.of(shop.rls, acme)).isEqualTo(before);
  }

  @Test
  void unsupportedColumnType_isNamedWithTableAndColumn_andNothingIsCopied() {
    TenantInfo acme = tenant("interval");
    shop.createSchema(acme);
    String s = SqlIdentifiers.quote(SqlIdentifiers.tenantSchema("tenant_", acme.slug()));
    shop.database.execute("CREATE TABLE " + s + ".timers (id int PRIMARY KEY, every interval)",
        "GRANT SELECT ON " + s + ".timers TO " + shop.appRole);

    assertThatThrownBy(() -> TenantDataDigest.of(shop.schemas, acme))
        .isInstanceOfSatisfying(UnsupportedColumnTypeException.class, e -> {
          assertThat(e.table()).isEqualTo("timers");
          assertThat(e.column()).isEqualTo("every");
          assertThat(e.typeName()).isEqualTo("interval");
        });
  }

  @Test
  void sharded_placeIsTheTenantsShard() {
    TenantInfo onRls = tenant("shard-a");
    TenantInfo onSchema = tenant("shard-b");
    shop.createSchema(onSchema);
    InMemoryShardDirectory directory = new InMemoryShardDirectory().assign(onRls.id(), "shared")
        .assign(onSchema.id(), "schemas");
    TenantAwareDataSource sharded = TenantAwareDataSource.of(Sharded.builder(directory)
        .shard("shared", RowLevelSecurity.builder(shop.pool("shared", true)).build())
        .shard("schemas", SchemaPerTenant.builder(shop.pool("own", false)).build())
        .build());
    PgShop.seed(sharded, onRls, 2);

    assertThat(TenantTables.discover(sharded, onRls).kind()).isEqualTo(PlaceKind.ROW_LEVEL_SECURITY);
    assertThat(TenantTables.discover(sharded, onSchema).kind()).isEqualTo(PlaceKind.SCHEMA);
    assertThat(TenantDataDigest.of(sharded, onRls)).isEqualTo(TenantDataDigest.of(shop.rls, onRls));
    assertThatThrownBy(() -> TenantTables.discover(sharded, tenant("nowhere")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no configured shard");
  }
}
