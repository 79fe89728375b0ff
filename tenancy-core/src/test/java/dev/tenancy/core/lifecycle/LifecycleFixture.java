package dev.tenancy.core.lifecycle;

import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.spi.TenantStore;
import java.time.Instant;

/** Builds services over a store and puts tenants into any status, for tests in this and other packages. */
public final class LifecycleFixture {

  /** The built-in tiers, no environment overrides. */
  public static final TenantConfigurationResolver RESOLVER =
      TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none());

  private LifecycleFixture() {
  }

  /**
   * @param store the store
   * @return a builder with the store and {@link #RESOLVER}
   */
  public static TenantService.Builder service(TenantStore store) {
    return TenantService.builder().store(store).resolver(RESOLVER);
  }

  /**
   * Puts a new tenant into a status the way a user would get there; {@code PROVISIONING} is what a crashed create
   * leaves behind, so it is inserted directly.
   *
   * @param service the service
   * @param store its store
   * @param status the status wanted
   * @param slug the slug
   * @return the stored tenant in that status
   */
  public static Tenant tenantIn(TenantService service, TenantStore store, TenantStatus status, String slug) {
    NewTenant request = NewTenant.of(slug, "Tenant " + slug);
    switch (status) {
      case PROVISIONING:
        Instant now = Instant.now();
        return store.insert(new Tenant(TenantId.random(), TenantSlug.of(slug), "Tenant " + slug,
            TenantStatus.PROVISIONING, TenantConfiguration.ofTier("free"), now, now, 0L, null));
      case TRIAL:
        return service.create(request);
      case ACTIVE:
        return service.create(request.withInitialStatus(TenantStatus.ACTIVE));
      case SUSPENDED:
        return service.suspend(service.create(request).id());
      case CANCELLED:
        return service.delete(service.create(request).id(), false);
      case DELETED:
        return service.delete(service.create(request).id(), true);
      default:
        throw new IllegalArgumentException(status.name());
    }
  }
}
