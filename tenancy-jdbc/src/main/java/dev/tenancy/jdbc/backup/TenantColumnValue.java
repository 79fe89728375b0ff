package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenantId;

/** The tenant id in the form its column holds it: a {@code uuid} column or a text one. */
final class TenantColumnValue {

  private TenantColumnValue() {
  }

  static Object of(TableColumn column, String table, TenantId tenant) {
    return switch (column.type()) {
      case UUID -> tenant.value();
      case TEXT -> tenant.toString();
      default -> throw new UnsupportedColumnTypeException(table, column.name(), column.typeName()
          + " (a tenant column must be uuid or text)");
    };
  }

  /** Whether a row's tenant-column value names this tenant. */
  static boolean matches(Object value, TenantId tenant) {
    return value.equals(tenant.value()) || value.toString().equalsIgnoreCase(tenant.toString());
  }
}
