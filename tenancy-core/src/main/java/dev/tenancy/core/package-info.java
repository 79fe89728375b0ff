/**
 * The tenant model and the fail-closed {@link dev.tenancy.core.TenantContext}.
 *
 * <p>A tenant is identified by a {@link dev.tenancy.core.TenantId} and a {@link dev.tenancy.core.TenantSlug}, moves
 * through the statuses of {@link dev.tenancy.core.TenantStatus}, and is configured by a tier from a
 * {@link dev.tenancy.core.TierCatalog} plus its own and the environment's overrides. Work for a tenant runs inside a
 * scope:
 *
 * <pre>{@code
 * TenantConfigurationResolver resolver =
 *     TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.fromSystemEnvironment());
 * TenantInfo acme = TenantInfo.of(tenant, resolver.resolve(tenant));
 *
 * try (TenantScope scope = TenantContext.enter(acme)) {
 *   if (Features.isEnabled("leadScoring")) { ... }
 *   executor.submit(TenantContext.wrap(() -> sendDigest()));   // the task runs as acme too
 * }
 * TenantContext.require();                                     // throws NoTenantException: no default tenant
 * }</pre>
 */
@NullMarked
package dev.tenancy.core;

import org.jspecify.annotations.NullMarked;
