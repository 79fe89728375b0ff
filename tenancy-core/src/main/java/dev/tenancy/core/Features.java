package dev.tenancy.core;

import java.util.OptionalLong;

/**
 * Feature flags and limits of the current tenant, read from {@link TenantContext}.
 *
 * <pre>{@code
 * if (Features.isEnabled("leadScoring")) { ... }
 * }</pre>
 *
 * <p>Fail closed like the context: outside a tenant scope these throw {@link NoTenantException} rather than answering
 * for some default tenant.
 */
public final class Features {

  private Features() {
  }

  /**
   * Tells whether a feature is on for the current tenant. Unknown features are off.
   *
   * @param feature the flag's name
   * @return {@code true} if enabled
   * @throws NoTenantException outside a tenant scope
   */
  public static boolean isEnabled(String feature) {
    return TenantContext.require().configuration().isEnabled(feature);
  }

  /**
   * A limit of the current tenant.
   *
   * @param limit the limit
   * @return its value, or empty when unlimited
   * @throws NoTenantException outside a tenant scope
   */
  public static OptionalLong limit(StandardLimit limit) {
    return TenantContext.require().configuration().limit(limit);
  }

  /**
   * A limit of the current tenant by key.
   *
   * @param key the limit's key
   * @return its value, or empty when unlimited
   * @throws NoTenantException outside a tenant scope
   */
  public static OptionalLong limit(String key) {
    return TenantContext.require().configuration().limit(key);
  }
}
