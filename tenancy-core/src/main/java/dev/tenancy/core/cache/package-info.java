/**
 * Caches whose entries belong to the tenant in scope, so that one tenant never reads what another one loaded.
 *
 * <p>The key of every entry is qualified by {@link dev.tenancy.core.TenantContext#require()}, calls outside a tenant
 * scope fail closed, and asynchronous loads run as the calling tenant even on pooled threads:
 *
 * <pre>{@code
 * TenantScopedCache<String, Plan> plans = TenantScopedCache.<String, Plan>builder()
 *     .maximumSize(10_000)
 *     .expireAfterWrite(Duration.ofMinutes(5))
 *     .build();
 *
 * try (TenantScope scope = TenantContext.enter(acme)) {
 *   Plan plan = plans.get("current", key -> planRepository.load(key));          // acme's entry
 *   plans.getAsync("next", key -> planRepository.load(key))                     // loads as acme on the pool
 *       .thenAccept(ContextSnapshot.capture().wrap(next -> notify(next)));
 * }
 * plans.invalidateTenant(acme.id());                                            // e.g. when acme is suspended
 * }</pre>
 */
@NullMarked
package dev.tenancy.core.cache;

import org.jspecify.annotations.NullMarked;
