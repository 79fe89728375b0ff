package dev.tenancy.core;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an administrator configured for one tenant: its tier and the overrides it has over that tier's defaults.
 *
 * <p>This is the stored, tenant-level layer only. The values a request actually sees come from
 * {@link TenantConfigurationResolver}, which layers tier defaults, then these overrides, then environment overrides.
 *
 * @param tier the name of the tier in the {@link TierCatalog}
 * @param featureFlags feature flags that differ from the tier's
 * @param limits limits that differ from the tier's (absent = the tier's value)
 * @param apiVersion the API version the tenant is pinned to, or {@code null} for the application's default
 * @param settings free-form application settings
 */
public record TenantConfiguration(
    String tier,
    Map<String, Boolean> featureFlags,
    Map<String, Long> limits,
    @Nullable String apiVersion,
    Map<String, String> settings) {

  /**
   * Validates and copies every part.
   *
   * @throws TenantValidationException if a name or value breaks its rule
   */
  public TenantConfiguration {
    tier = ConfigurationKeys.tierName(tier);
    featureFlags = ConfigurationKeys.features("featureFlags", featureFlags);
    limits = ConfigurationKeys.limits("limits", limits);
    apiVersion = apiVersion == null ? null : ConfigurationKeys.apiVersion(apiVersion);
    settings = ConfigurationKeys.settings("settings", settings);
  }

  /**
   * A configuration that takes everything from a tier.
   *
   * @param tier the tier name
   * @return a configuration with no overrides
   */
  public static TenantConfiguration ofTier(String tier) {
    return new TenantConfiguration(tier, Map.of(), Map.of(), null, Map.of());
  }

  /**
   * @param newTier another tier name
   * @return a copy on another tier, keeping the overrides
   */
  public TenantConfiguration withTier(String newTier) {
    return new TenantConfiguration(newTier, featureFlags, limits, apiVersion, settings);
  }

  /**
   * @param name a feature flag
   * @param enabled its value for this tenant
   * @return a copy with the flag set
   */
  public TenantConfiguration withFeature(String name, boolean enabled) {
    Map<String, Boolean> copy = new HashMap<>(featureFlags);
    copy.put(name, enabled);
    return new TenantConfiguration(tier, copy, limits, apiVersion, settings);
  }

  /**
   * @param flags feature flags that replace all current overrides
   * @return a copy with these flags
   */
  public TenantConfiguration withFeatureFlags(Map<String, Boolean> flags) {
    return new TenantConfiguration(tier, flags, limits, apiVersion, settings);
  }

  /**
   * @param name a limit key, e.g. {@link StandardLimit#key()}
   * @param value its value for this tenant, zero or positive
   * @return a copy with the limit set
   */
  public TenantConfiguration withLimit(String name, long value) {
    Map<String, Long> copy = new HashMap<>(limits);
    copy.put(name, value);
    return new TenantConfiguration(tier, featureFlags, copy, apiVersion, settings);
  }

  /**
   * @param newLimits limits that replace all current overrides
   * @return a copy with these limits
   */
  public TenantConfiguration withLimits(Map<String, Long> newLimits) {
    return new TenantConfiguration(tier, featureFlags, newLimits, apiVersion, settings);
  }

  /**
   * @param version the API version to pin, or {@code null} to follow the application's default
   * @return a copy with the pin
   */
  public TenantConfiguration withApiVersion(@Nullable String version) {
    return new TenantConfiguration(tier, featureFlags, limits, version, settings);
  }

  /**
   * @param newSettings settings that replace all current ones
   * @return a copy with these settings
   */
  public TenantConfiguration withSettings(Map<String, String> newSettings) {
    return new TenantConfiguration(tier, featureFlags, limits, apiVersion, newSettings);
  }
}
