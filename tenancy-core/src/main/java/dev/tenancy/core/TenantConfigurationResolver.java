package dev.tenancy.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Layers a tenant's configuration: the tier's defaults, then the tenant's stored overrides, then
 * {@link EnvironmentOverrides}. An environment {@code TIER} override also chooses which tier's defaults apply.
 *
 * <pre>{@code
 * TenantConfigurationResolver resolver =
 *     TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.fromSystemEnvironment());
 * EffectiveConfiguration effective = resolver.resolve(tenant);
 * }</pre>
 */
public final class TenantConfigurationResolver {

  private final TierCatalog catalog;
  private final EnvironmentOverrides environment;
  /**
   * Each tier's configuration as a tenant without overrides sees it. Most tenants are such tenants: they all share
   * one immutable instance per tier instead of three fresh maps per request, which also keeps the maps every quota
   * check reads in the processor's cache however many tenants there are.
   */
  private final Map<String, EffectiveConfiguration> tierDefaults = new HashMap<>();

  private TenantConfigurationResolver(TierCatalog catalog, EnvironmentOverrides environment) {
    this.catalog = catalog;
    this.environment = environment;
    for (Tier tier : catalog.tiers()) {
      tierDefaults.put(tier.name(),
          new EffectiveConfiguration(tier.name(), tier.features(), tier.limits(), null, Map.of()));
    }
  }

  /**
   * Creates a resolver.
   *
   * @param catalog the tiers
   * @param environment the environment layer, or {@link EnvironmentOverrides#none()}
   * @return the resolver
   */
  public static TenantConfigurationResolver of(TierCatalog catalog, EnvironmentOverrides environment) {
    return new TenantConfigurationResolver(Objects.requireNonNull(catalog, "catalog"),
        Objects.requireNonNull(environment, "environment"));
  }

  /** @return the tier catalog this resolver uses */
  public TierCatalog catalog() {
    return catalog;
  }

  /**
   * Resolves a tenant's effective configuration.
   *
   * @param tenant the tenant
   * @return the layered configuration
   * @throws TenantValidationException if the tier in effect is not in the catalog
   */
  public EffectiveConfiguration resolve(Tenant tenant) {
    return resolve(tenant.slug(), tenant.configuration());
  }

  /**
   * Resolves the effective configuration for a slug and a stored configuration.
   *
   * @param slug the tenant's slug, which selects the environment layer
   * @param configuration the tenant's stored configuration
   * @return the layered configuration
   * @throws TenantValidationException if the tier in effect is not in the catalog
   */
  public EffectiveConfiguration resolve(TenantSlug slug, TenantConfiguration configuration) {
    EnvironmentOverrides.Layer env = environment.isEmpty() ? null : environment.layerFor(slug);
    String tierName = env != null && env.tier != null ? env.tier : configuration.tier();
    Tier tier = catalog.require(tierName);
    if (env == null && configuration.limits().isEmpty() && configuration.featureFlags().isEmpty()
        && configuration.settings().isEmpty() && configuration.apiVersion() == null) {
      return tierDefaults.get(tierName);
    }

    Map<String, Long> limits = new HashMap<>(tier.limits());
    limits.putAll(configuration.limits());
    Map<String, Boolean> features = new HashMap<>(tier.features());
    features.putAll(configuration.featureFlags());
    Map<String, String> settings = new HashMap<>(configuration.settings());
    String apiVersion = configuration.apiVersion();
    if (env != null) {
      limits.putAll(env.limits);
      features.putAll(env.features);
      settings.putAll(env.settings);
      if (env.apiVersion != null) {
        apiVersion = env.apiVersion;
      }
    }
    return new EffectiveConfiguration(tierName, features, limits, apiVersion, settings);
  }
}
