/**
 * Tenant lifecycle: creating tenants with compensated, journaled provisioning, changing them under optimistic locking
 * and the status transition table, cancelling, purging and bulk operations — all through
 * {@link dev.tenancy.core.lifecycle.TenantService}.
 *
 * <pre>{@code
 * TenantService tenants = TenantService.builder()
 *     .store(new InMemoryTenantStore())
 *     .resolver(TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none()))
 *     .step(schemaStep)                                   // provisioned in order, undone in reverse
 *     .retention(Duration.ofDays(30))
 *     .build();
 *
 * Tenant acme = tenants.create(NewTenant.of("acme", "Acme Realty").withTier("pro"));
 * tenants.update(acme.id(), TenantUpdate.none().withDisplayName("Acme Realty Ltd").expectingVersion(acme.version()));
 * tenants.delete(acme.id(), false);                       // CANCELLED; purged by purgeDue() after 30 days
 *
 * for (ProvisioningRecord run : tenants.pendingProvisioning()) {   // at start-up, after a crash
 *   tenants.resumeProvisioning(run.tenantId(), TenantService.Resolution.ROLL_BACK);
 * }
 * }</pre>
 */
@NullMarked
package dev.tenancy.core.lifecycle;

import org.jspecify.annotations.NullMarked;
