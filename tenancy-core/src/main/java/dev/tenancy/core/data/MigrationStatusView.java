package dev.tenancy.core.data;

import dev.tenancy.core.TenantId;
import java.util.List;
import java.util.Optional;

/**
 * Reads the recorded state of tenant schema migrations, for the admin API and dashboards. Implemented by the
 * migration status stores of tenancy-jdbc; the admin API needs only this interface.
 */
public interface MigrationStatusView {

  /**
   * Every recorded target: one per tenant with its own schema or database, and one per shared schema.
   *
   * @return the statuses, ordered by location
   */
  List<TenantMigrationStatus> statuses();

  /**
   * @param state a state
   * @return the recorded targets in that state, ordered by location
   */
  default List<TenantMigrationStatus> statuses(MigrationState state) {
    return statuses().stream().filter(s -> s.state() == state).toList();
  }

  /**
   * @param tenant a tenant
   * @return its migration status, or empty if no run has recorded it (or it shares a schema with other tenants)
   */
  Optional<TenantMigrationStatus> statusOf(TenantId tenant);

  /** @return the count of targets in each state */
  default MigrationSummary summary() {
    return MigrationSummary.of(statuses());
  }
}
