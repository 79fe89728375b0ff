package dev.tenancy.jdbc.move;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The shop the move tests move: customers ← orders ← order_lines, the tenant column in every key, written and read
 * through a tenant-bound data source exactly as the application would.
 */
final class Shop {

  private Shop() {
  }

  /** Inserts {@code n} customers, each with one order of one line: {@code 3n} rows, in one transaction. */
  static void seed(TenantAwareDataSource place, TenantInfo tenant, int n) {
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = place.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try (PreparedStatement customer = connection.prepareStatement(
              "INSERT INTO customers (organization_id, id, name) VALUES (?, ?, ?)");
          PreparedStatement order = connection.prepareStatement("INSERT INTO orders (organization_id, id,"
              + " customer_id, total, placed_at, note) VALUES (?, ?, ?, ?, ?, ?)");
          PreparedStatement line = connection.prepareStatement(
              "INSERT INTO order_lines (organization_id, order_id, line, product) VALUES (?, ?, ?, ?)")) {
        for (int i = 1; i <= n; i++) {
          UUID orderId = UUID.randomUUID();
          customer.setObject(1, tenant.id().value());
          customer.setLong(2, i);
          customer.setString(3, tenant.slug() + " customer " + i);
          customer.addBatch();
          order.setObject(1, tenant.id().value());
          order.setObject(2, orderId);
          order.setLong(3, i);
          order.setBigDecimal(4, new BigDecimal("10.25").add(BigDecimal.valueOf(i)));
          order.setObject(5, OffsetDateTime.of(2024, 2, 29, 12, 0, i % 60, 0, ZoneOffset.UTC));
          order.setString(6, i % 7 == 0 ? null : "note – ünïcødé 'quoted' " + i);
          order.addBatch();
          line.setObject(1, tenant.id().value());
          line.setObject(2, orderId);
          line.setInt(3, 1);
          line.setString(4, "widget " + i);
          line.addBatch();
          if (i % 500 == 0 || i == n) {
            customer.executeBatch();
            order.executeBatch();
            line.executeBatch();
          }
        }
      }
      connection.commit();
      connection.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      throw new IllegalStateException("seeding " + tenant.slug() + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * What the application sees of the tenant: rows per table, and how many order lines reach a customer through
   * both foreign keys (equal to the line count when every reference holds).
   */
  static Map<String, Long> seen(TenantAwareDataSource place, TenantInfo tenant) {
    Map<String, Long> seen = new LinkedHashMap<>();
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = place.getConnection()) {
      for (String table : new String[] {"customers", "orders", "order_lines"}) {
        seen.put(table, count(connection, "SELECT COUNT(*) FROM " + table));
      }
      seen.put("joined", count(connection, "SELECT COUNT(*) FROM order_lines l"
          + " JOIN orders o ON o.organization_id = l.organization_id AND o.id = l.order_id"
          + " JOIN customers c ON c.organization_id = o.organization_id AND c.id = o.customer_id"));
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading " + tenant.slug() + " failed: " + e.getMessage(), e);
    }
    return seen;
  }

  /** @return what {@link #seen} returns for a shop seeded with {@code n} */
  static Map<String, Long> expected(int n) {
    return Map.of("customers", (long) n, "orders", (long) n, "order_lines", (long) n, "joined", (long) n);
  }

  /** Adds one customer, as the application would, with the given id or (if {@code null}) the table's next one. */
  static void addCustomer(TenantAwareDataSource place, TenantInfo tenant, @Nullable Long id) {
    String sql = id == null ? "INSERT INTO customers (organization_id, name) VALUES (?, 'late')"
        : "INSERT INTO customers (organization_id, id, name) VALUES (?, ?, 'late')";
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = place.getConnection();
        PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setObject(1, tenant.id().value());
      if (id != null) {
        insert.setLong(2, id);
      }
      insert.executeUpdate();
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("adding a customer failed: " + e.getMessage(), e);
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
