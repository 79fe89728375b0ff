package dev.tenancy.jdbc.store;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.spi.ProvisioningRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Converts tenants and provisioning journals to and from rows of the store's tables. */
final class TenantRows {

  /** The columns every tenant query selects, in the order {@link #tenant(ResultSet)} reads them. */
  static final String TENANT_COLUMNS =
      "id, slug, display_name, status, tier, configuration, created_at, updated_at, version, purge_after";

  /** The columns every journal query selects, in the order {@link #provisioningRecord(ResultSet)} reads them. */
  static final String RECORD_COLUMNS =
      "tenant_id, operation, state, completed_steps, last_error, updated_at, target_status";

  private TenantRows() {
  }

  /**
   * Both databases keep microseconds; truncating before writing makes the returned tenant equal the stored one.
   *
   * @param tenant a tenant about to be written
   * @return the tenant with its time stamps truncated to microseconds
   */
  static Tenant storable(Tenant tenant) {
    return new Tenant(tenant.id(), tenant.slug(), tenant.displayName(), tenant.status(), tenant.configuration(),
        micros(tenant.createdAt()), micros(tenant.updatedAt()), tenant.version(), microsOrNull(tenant.purgeAfter()));
  }

  /**
   * Binds the mutable tenant columns display_name, status, tier, configuration, created_at, updated_at, purge_after.
   *
   * @return the next parameter index
   */
  static int bindContent(PreparedStatement statement, int first, Tenant tenant) throws SQLException {
    int i = first;
    statement.setString(i++, tenant.displayName());
    statement.setString(i++, tenant.status().name());
    statement.setString(i++, tenant.tier());
    statement.setString(i++, configurationJson(tenant.configuration()));
    setInstant(statement, i++, tenant.createdAt());
    setInstant(statement, i++, tenant.updatedAt());
    setInstant(statement, i++, tenant.purgeAfter());
    return i;
  }

  static Tenant tenant(ResultSet row) throws SQLException {
    return new Tenant(
        TenantId.of(row.getObject(1, UUID.class)),
        TenantSlug.of(row.getString(2)),
        row.getString(3),
        TenantStatus.valueOf(row.getString(4)),
        configuration(row.getString(5), row.getString(6)),
        instant(row, 7),
        instant(row, 8),
        row.getLong(9),
        nullableInstant(row, 10));
  }

  static void bindRecord(PreparedStatement statement, ProvisioningRecord record) throws SQLException {
    statement.setObject(1, record.tenantId().value());
    statement.setString(2, record.operation().name());
    statement.setString(3, record.state().name());
    statement.setString(4, JsonText.write(record.completedSteps()));
    statement.setString(5, record.lastError());
    setInstant(statement, 6, record.updatedAt());
    statement.setString(7, record.targetStatus() == null ? null : record.targetStatus().name());
  }

  static ProvisioningRecord provisioningRecord(ResultSet row) throws SQLException {
    List<String> steps = new ArrayList<>();
    Object parsed = JsonText.read(row.getString(4));
    if (!(parsed instanceof List)) {
      throw new IllegalArgumentException("completed_steps is not a JSON array");
    }
    for (Object step : (List<?>) parsed) {
      steps.add(String.valueOf(step));
    }
    String target = row.getString(7);
    return new ProvisioningRecord(
        TenantId.of(row.getObject(1, UUID.class)),
        ProvisioningRecord.Operation.valueOf(row.getString(2)),
        ProvisioningRecord.State.valueOf(row.getString(3)),
        steps,
        row.getString(5),
        instant(row, 6),
        target == null ? null : TenantStatus.valueOf(target));
  }

  // ------------------------------------------------------------------ configuration as JSON text

  /** The tier lives in its own column (it is filtered on), everything else in one canonical JSON object. */
  static String configurationJson(TenantConfiguration configuration) {
    Map<String, @Nullable Object> json = new LinkedHashMap<>();
    json.put("apiVersion", configuration.apiVersion());
    json.put("featureFlags", configuration.featureFlags());
    json.put("limits", configuration.limits());
    json.put("settings", configuration.settings());
    return JsonText.write(json);
  }

  static TenantConfiguration configuration(String tier, String json) {
    Object parsed = JsonText.read(json);
    if (!(parsed instanceof Map)) {
      throw new IllegalArgumentException("tenant configuration is not a JSON object: " + json);
    }
    Map<?, ?> map = (Map<?, ?>) parsed;
    Object apiVersion = map.get("apiVersion");
    return new TenantConfiguration(tier, typed(map.get("featureFlags"), Boolean.class),
        typed(map.get("limits"), Long.class), apiVersion == null ? null : apiVersion.toString(),
        typed(map.get("settings"), String.class));
  }

  private static <V> Map<String, V> typed(@Nullable Object value, Class<V> type) {
    Map<String, V> result = new LinkedHashMap<>();
    if (value == null) {
      return result;
    }
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("expected a JSON object of " + type.getSimpleName() + " values");
    }
    for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
      if (!type.isInstance(entry.getValue())) {
        throw new IllegalArgumentException("'" + entry.getKey() + "' is not a " + type.getSimpleName());
      }
      result.put(entry.getKey().toString(), type.cast(entry.getValue()));
    }
    return result;
  }

  // ------------------------------------------------------------------ time stamps

  static void setInstant(PreparedStatement statement, int index, @Nullable Instant instant) throws SQLException {
    if (instant == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(index, OffsetDateTime.ofInstant(micros(instant), ZoneOffset.UTC));
    }
  }

  private static Instant instant(ResultSet row, int index) throws SQLException {
    Instant value = nullableInstant(row, index);
    if (value == null) {
      throw new IllegalArgumentException("column " + index + " is unexpectedly NULL");
    }
    return value;
  }

  private static @Nullable Instant nullableInstant(ResultSet row, int index) throws SQLException {
    OffsetDateTime value = row.getObject(index, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static Instant micros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  private static @Nullable Instant microsOrNull(@Nullable Instant instant) {
    return instant == null ? null : micros(instant);
  }
}
