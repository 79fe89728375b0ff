package dev.tenancy.core;

import java.util.Objects;

/**
 * What {@link TenantContext} carries for the tenant a piece of work runs for: identity, status and the effective
 * configuration, resolved once when the scope is entered so that a request never reads half-changed settings.
 *
 * @param id the tenant's id
 * @param slug the tenant's slug
 * @param status the tenant's status when the scope was entered
 * @param configuration the effective configuration when the scope was entered
 */
public record TenantInfo(TenantId id, TenantSlug slug, TenantStatus status, EffectiveConfiguration configuration) {

  /** Checks that no part is missing. */
  public TenantInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(slug, "slug");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(configuration, "configuration");
  }

  /**
   * Describes a stored tenant with its resolved configuration.
   *
   * @param tenant the tenant
   * @param configuration its effective configuration, from {@link TenantConfigurationResolver}
   * @return the info
   */
  public static TenantInfo of(Tenant tenant, EffectiveConfiguration configuration) {
    return new TenantInfo(tenant.id(), tenant.slug(), tenant.status(), configuration);
  }

  /**
   * Describes a tenant by id and slug only, with no configuration: for jobs and tests that need a tenant scope but
   * no limits or features.
   *
   * @param id the tenant's id
   * @param slug the tenant's slug
   * @return an {@link TenantStatus#ACTIVE} tenant with {@link EffectiveConfiguration#none()}
   */
  public static TenantInfo of(TenantId id, TenantSlug slug) {
    return new TenantInfo(id, slug, TenantStatus.ACTIVE, EffectiveConfiguration.none());
  }
}
