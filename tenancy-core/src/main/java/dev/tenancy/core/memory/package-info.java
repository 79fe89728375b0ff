/**
 * In-memory implementations of the SPIs, for tests, demos and embedded single-instance use: nothing survives a
 * restart, and nothing is shared between application instances.
 *
 * <pre>{@code
 * TenantService tenants = TenantService.builder()
 *     .store(new InMemoryTenantStore())
 *     .resolver(TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none()))
 *     .build();
 * Tenant acme = tenants.create(NewTenant.of("acme", "Acme Realty"));
 * }</pre>
 */
@NullMarked
package dev.tenancy.core.memory;

import org.jspecify.annotations.NullMarked;
