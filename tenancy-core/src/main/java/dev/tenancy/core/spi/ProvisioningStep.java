package dev.tenancy.core.spi;

import dev.tenancy.core.Tenant;

/**
 * One idempotent step of creating or removing a tenant's resources: a schema, a database, a data key, default rows.
 *
 * <p>Steps run in the order they were registered, inside a tenant scope of the tenant being provisioned. Both methods
 * must be idempotent: after a crash a step may run again although it already finished, and {@link #deprovision} may
 * run for a step whose {@link #provision} failed half-way.
 */
public interface ProvisioningStep {

  /**
   * A stable, unique name, recorded in the provisioning journal.
   *
   * @return the name, e.g. {@code schema} or {@code data-key}
   */
  String name();

  /**
   * Creates this step's resources for a tenant, or does nothing if they exist.
   *
   * @param tenant the tenant, in status {@code PROVISIONING}
   * @throws Exception if the resources could not be created; completed steps are then compensated
   */
  void provision(Tenant tenant) throws Exception;

  /**
   * Removes this step's resources for a tenant, or does nothing if they are gone. Used to compensate a failed
   * provisioning and to purge a deleted tenant.
   *
   * @param tenant the tenant
   * @throws Exception if the resources could not be removed
   */
  void deprovision(Tenant tenant) throws Exception;
}
