package dev.tenancy.jdbc.store;

import dev.tenancy.core.ConcurrentTenantModificationException;
import dev.tenancy.core.SlugAlreadyTakenException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConflictException;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantPage;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.TenantSlug;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL of the {@code tenants} table, uncached. Every write runs in one transaction together with its change
 * notification, so other instances hear of exactly the changes that committed.
 */
final class TenantTable {

  private static final Logger LOG = LoggerFactory.getLogger(TenantTable.class);

  private final DataSource dataSource;
  private final Dialect dialect;
  private final String tenants;

  TenantTable(DataSource dataSource, Dialect dialect, String qualifiedName) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.tenants = qualifiedName;
  }

  /**
   * Inserts a tenant. A pre-check gives the precise error in the common case; the unique constraints decide races.
   */
  void insert(Tenant row) {
    try {
      transaction(connection -> {
        rejectDuplicate(connection, row);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + tenants + " (id, slug,"
            + " display_name, status, tier, configuration, created_at, updated_at, purge_after, version)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          insert.setObject(1, row.id().value());
          insert.setString(2, row.slug().value());
          insert.setLong(TenantRows.bindContent(insert, 3, row), row.version());
          insert.executeUpdate();
        }
        announce(connection, row.id(), row.slug());
        return null;
      });
    } catch (SQLException e) {
      if (!hasState(e, "23505")) {
        throw new TenantStoreAccessException("insert tenant " + row.id(), e);
      }
      // Lost a race the pre-check could not see: find out which key was taken.
      try (Connection connection = dataSource.getConnection()) {
        rejectDuplicate(connection, row);
      } catch (SQLException again) {
        again.addSuppressed(e);
        throw new TenantStoreAccessException("insert tenant " + row.id(), again);
      }
      throw new SlugAlreadyTakenException(row.slug());
    }
  }

  private void rejectDuplicate(Connection connection, Tenant row) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT id, slug FROM " + tenants + " WHERE id = ? OR slug = ?")) {
      query.setObject(1, row.id().value());
      query.setString(2, row.slug().value());
      boolean idTaken = false;
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          boolean sameId = row.id().value().equals(result.getObject(1));
          if (!sameId && row.slug().value().equals(result.getString(2))) {
            throw new SlugAlreadyTakenException(row.slug());
          }
          idTaken |= sameId;
        }
      }
      if (idTaken) {
        throw new TenantConflictException("A tenant with id " + row.id() + " already exists; generate a new id with"
            + " TenantId.random()");
      }
    }
  }

  Optional<Tenant> findById(TenantId id) {
    return queryOne("WHERE id = ?", id.value(), "read tenant " + id);
  }

  Optional<Tenant> findBySlug(TenantSlug slug) {
    return queryOne("WHERE slug = ?", slug.value(), "read tenant '" + slug + "'");
  }

  private Optional<Tenant> queryOne(String where, Object key, String action) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(
            "SELECT " + TenantRows.TENANT_COLUMNS + " FROM " + tenants + " " + where)) {
      query.setObject(1, key);
      try (ResultSet result = query.executeQuery()) {
        return result.next() ? Optional.of(TenantRows.tenant(result)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new TenantStoreAccessException(action, e);
    }
  }

  TenantPage list(TenantQuery query) {
    List<Object> parameters = new ArrayList<>();
    List<String> conditions = new ArrayList<>();
    if (query.status() != null) {
      conditions.add("status = ?");
      parameters.add(query.status().name());
    }
    if (query.tier() != null) {
      conditions.add("tier = ?");
      parameters.add(query.tier());
    }
    if (query.text() != null) {
      conditions.add("(slug LIKE ? ESCAPE '\\' OR LOWER(display_name) LIKE ? ESCAPE '\\')");
      String pattern = "%" + query.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
      parameters.add(pattern);
      parameters.add(pattern);
    }
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    try (Connection connection = dataSource.getConnection()) {
      long total;
      try (PreparedStatement count = prepare(connection, "SELECT COUNT(*) FROM " + tenants + where, parameters);
          ResultSet result = count.executeQuery()) {
        result.next();
        total = result.getLong(1);
      }
      List<Tenant> items = new ArrayList<>();
      try (PreparedStatement page = prepare(connection, "SELECT " + TenantRows.TENANT_COLUMNS + " FROM " + tenants
          + where + " ORDER BY slug LIMIT ? OFFSET ?", parameters)) {
        page.setInt(parameters.size() + 1, query.size());
        page.setLong(parameters.size() + 2, (long) query.page() * query.size());
        try (ResultSet result = page.executeQuery()) {
          while (result.next()) {
            items.add(TenantRows.tenant(result));
          }
        }
      }
      return new TenantPage(items, query.page(), query.size(), total);
    } catch (SQLException e) {
      throw new TenantStoreAccessException("list tenants", e);
    }
  }

  private static PreparedStatement prepare(Connection connection, String sql, List<Object> parameters)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    for (int i = 0; i < parameters.size(); i++) {
      statement.setObject(i + 1, parameters.get(i));
    }
    return statement;
  }

  /** Updates a tenant based on {@code row.version()}; returns it with the next version. */
  Tenant update(Tenant row) {
    try {
      Tenant stored = transaction(connection -> {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + tenants + " SET display_name = ?,"
            + " status = ?, tier = ?, configuration = ?, created_at = ?, updated_at = ?, purge_after = ?,"
            + " version = version + 1 WHERE id = ? AND version = ? AND slug = ?")) {
          int next = TenantRows.bindContent(update, 1, row);
          update.setObject(next, row.id().value());
          update.setLong(next + 1, row.version());
          update.setString(next + 2, row.slug().value());
          if (update.executeUpdate() == 0) {
            throw whyNotUpdated(connection, row);
          }
        }
        announce(connection, row.id(), row.slug());
        return row.withVersion(row.version() + 1);
      });
      return Objects.requireNonNull(stored, "stored");
    } catch (SQLException e) {
      // Under REPEATABLE READ or SERIALIZABLE a lost race is a serialization failure rather than zero rows.
      if (hasState(e, "40001") || hasState(e, "40P01") || hasState(e, "90131")) {
        try (Connection connection = dataSource.getConnection()) {
          throw whyNotUpdated(connection, row);
        } catch (SQLException again) {
          again.addSuppressed(e);
          throw new TenantStoreAccessException("update tenant " + row.id(), again);
        }
      }
      throw new TenantStoreAccessException("update tenant " + row.id(), e);
    }
  }

  private RuntimeException whyNotUpdated(Connection connection, Tenant row) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT version, slug FROM " + tenants + " WHERE id = ?")) {
      query.setObject(1, row.id().value());
      try (ResultSet result = query.executeQuery()) {
        if (!result.next()) {
          return new TenantNotFoundException(row.id().toString());
        }
        String storedSlug = result.getString(2);
        if (!row.slug().value().equals(storedSlug)) {
          return new TenantConflictException("Tenant " + row.id() + " keeps its slug '" + storedSlug + "' for life;"
              + " create a new tenant to use the slug '" + row.slug() + "'");
        }
        return new ConcurrentTenantModificationException(row.id(), row.version(), result.getLong(1));
      }
    }
  }

  /** Deletes a tenant; returns its slug, or {@code null} if there was none. */
  @Nullable TenantSlug remove(TenantId id) {
    try {
      return transaction(connection -> {
        TenantSlug slug;
        try (PreparedStatement query = connection.prepareStatement("SELECT slug FROM " + tenants + " WHERE id = ?")) {
          query.setObject(1, id.value());
          try (ResultSet result = query.executeQuery()) {
            if (!result.next()) {
              return null;
            }
            slug = TenantSlug.of(result.getString(1));
          }
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + tenants + " WHERE id = ?")) {
          delete.setObject(1, id.value());
          if (delete.executeUpdate() == 0) {
            return null;
          }
        }
        announce(connection, id, slug);
        return slug;
      });
    } catch (SQLException e) {
      throw new TenantStoreAccessException("remove tenant " + id, e);
    }
  }

  /** Tells every listening instance which tenant changed; delivered by PostgreSQL only if the transaction commits. */
  private void announce(Connection connection, TenantId id, TenantSlug slug) throws SQLException {
    if (dialect != Dialect.POSTGRESQL) {
      return;
    }
    try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
      notify.setString(1, PostgresChangeListener.CHANNEL);
      notify.setString(2, id + " " + slug);
      notify.executeQuery().close();
    }
  }


  private interface SqlWork<T> {
    @Nullable T run(Connection connection) throws SQLException;
  }

  private <T> @Nullable T transaction(SqlWork<T> work) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      } finally {
        restoreAutoCommit(connection, autoCommit);
      }
    }
  }

  private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
    try {
      connection.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      // A pool resets auto-commit on return anyway; a broken connection is discarded by it.
      LOG.debug("Could not restore auto-commit on a tenant store connection", e);
    }
  }

  private static boolean hasState(SQLException failure, String state) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        for (SQLException e = (SQLException) t; e != null; e = e.getNextException()) {
          if (state.equals(e.getSQLState())) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
