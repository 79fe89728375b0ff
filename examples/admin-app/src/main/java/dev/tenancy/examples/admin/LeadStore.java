package dev.tenancy.examples.admin;

import dev.tenancy.core.TenantId;
import dev.tenancy.crypto.jdbc.EncryptedColumns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The leads and users of the current tenant. Every connection comes from the tenant-aware data source, so the
 * tenant boundary (its schema, or RLS on shared tables) is enforced by the database, not by a {@code WHERE} here;
 * {@code email} and {@code phone} are encrypted with the tenant's data key before they leave the JVM.
 */
final class LeadStore {

  /** A lead as the API shows it, decrypted. */
  record Lead(UUID id, String name, String email, String phone, String notes, OffsetDateTime createdAt,
      OffsetDateTime updatedAt) {
  }

  static final String EMAIL = "leads.email";
  static final String PHONE = "leads.phone";

  private final DataSource data;
  private final EncryptedColumns columns;
  /** Whether the tables are shared (RLS) and rows carry the tenant column. */
  private final boolean shared;

  LeadStore(DataSource data, EncryptedColumns columns, boolean shared) {
    this.data = data;
    this.columns = columns;
    this.shared = shared;
  }

  Lead create(TenantId tenant, String name, String email, String phone, String notes) throws SQLException {
    UUID id = UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    String sql = "INSERT INTO leads (id, name, email_enc, phone_enc, notes, created_at, updated_at"
        + (shared ? ", organization_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)" : ") VALUES (?, ?, ?, ?, ?, ?, ?)");
    try (Connection connection = data.getConnection(); PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setObject(1, id);
      insert.setString(2, name);
      columns.set(insert, 3, tenant, EMAIL, email);
      columns.set(insert, 4, tenant, PHONE, phone);
      insert.setString(5, notes);
      insert.setObject(6, now);
      insert.setObject(7, now);
      if (shared) {
        insert.setObject(8, tenant.value());
      }
      insert.executeUpdate();
    }
    return new Lead(id, name, email, phone, notes, now, now);
  }

  List<Lead> list(TenantId tenant) throws SQLException {
    List<Lead> leads = new ArrayList<>();
    try (Connection connection = data.getConnection();
        PreparedStatement query = connection.prepareStatement(
            "SELECT id, name, email_enc, phone_enc, notes, created_at, updated_at FROM leads ORDER BY created_at, id");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        leads.add(read(rows, tenant));
      }
    }
    return leads;
  }

  Optional<Lead> find(TenantId tenant, UUID id) throws SQLException {
    try (Connection connection = data.getConnection();
        PreparedStatement query = connection.prepareStatement(
            "SELECT id, name, email_enc, phone_enc, notes, created_at, updated_at FROM leads WHERE id = ?")) {
      query.setObject(1, id);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(read(rows, tenant)) : Optional.empty();
      }
    }
  }

  Optional<Lead> update(TenantId tenant, UUID id, String name, String email, String phone, String notes)
      throws SQLException {
    try (Connection connection = data.getConnection();
        PreparedStatement update = connection.prepareStatement("UPDATE leads SET name = ?, email_enc = ?, "
            + "phone_enc = ?, notes = ?, updated_at = ? WHERE id = ?")) {
      update.setString(1, name);
      columns.set(update, 2, tenant, EMAIL, email);
      columns.set(update, 3, tenant, PHONE, phone);
      update.setString(4, notes);
      update.setObject(5, OffsetDateTime.now(ZoneOffset.UTC));
      update.setObject(6, id);
      if (update.executeUpdate() == 0) {
        return Optional.empty();
      }
    }
    return find(tenant, id);
  }

  boolean delete(UUID id) throws SQLException {
    try (Connection connection = data.getConnection();
        PreparedStatement delete = connection.prepareStatement("DELETE FROM leads WHERE id = ?")) {
      delete.setObject(1, id);
      return delete.executeUpdate() > 0;
    }
  }

  void addUser(TenantId tenant, String subject, Set<String> roles) throws SQLException {
    String sql = "INSERT INTO app_users (subject, roles, created_at"
        + (shared ? ", organization_id) VALUES (?, ?, ?, ?)" : ") VALUES (?, ?, ?)");
    try (Connection connection = data.getConnection(); PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, subject);
      insert.setString(2, String.join(",", new java.util.TreeSet<>(roles)));
      insert.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
      if (shared) {
        insert.setObject(4, tenant.value());
      }
      insert.executeUpdate();
    }
  }

  /** The stored (encrypted) email of a lead, for tests and operators checking that nothing is in clear. */
  Optional<String> storedEmail(UUID id) throws SQLException {
    try (Connection connection = data.getConnection();
        PreparedStatement query = connection.prepareStatement("SELECT email_enc FROM leads WHERE id = ?")) {
      query.setObject(1, id);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  private Lead read(ResultSet rows, TenantId tenant) throws SQLException {
    return new Lead(rows.getObject("id", UUID.class), rows.getString("name"),
        columns.get(rows, "email_enc", tenant, EMAIL), columns.get(rows, "phone_enc", tenant, PHONE),
        rows.getString("notes"), rows.getObject("created_at", OffsetDateTime.class),
        rows.getObject("updated_at", OffsetDateTime.class));
  }
}
