package dev.tenancy.core;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The configuration a tenant's requests actually see: tier defaults, overlaid by the tenant's own overrides, overlaid
 * by environment overrides. Produced by {@link TenantConfigurationResolver}; carried by {@link TenantInfo}.
 *
 * @param tier the tier in effect
 * @param features every feature flag in effect
 * @param limits every limit in effect; a missing key means unlimited
 * @param apiVersion the pinned API version, or {@code null} for the application's default
 * @param settings every application setting in effect
 */
public record EffectiveConfiguration(
    String tier,
    Map<String, Boolean> features,
    Map<String, Long> limits,
    @Nullable String apiVersion,
    Map<String, String> settings) {

  private static final EffectiveConfiguration NONE =
      new EffectiveConfiguration("none", Map.of(), Map.of(), null, Map.of());

  /** Copies every map into an immutable one. */
  public EffectiveConfiguration {
    Objects.requireNonNull(tier, "tier");
    features = Map.copyOf(features);
    limits = Map.copyOf(limits);
    settings = Map.copyOf(settings);
  }

  /**
   * A configuration with no features, no limits and no settings, for tenants entered without a catalog (jobs, tests).
   *
   * @return the empty configuration, on a tier named {@code none}
   */
  public static EffectiveConfiguration none() {
    return NONE;
  }

  /**
   * Tells whether a feature is on. Unknown features are off.
   *
   * @param feature the feature flag's name
   * @return {@code true} only if the flag is present and enabled
   */
  public boolean isEnabled(String feature) {
    return Boolean.TRUE.equals(features.get(feature));
  }

  /**
   * A limit by key.
   *
   * @param key the limit's key
   * @return the limit, or empty when unlimited
   */
  public OptionalLong limit(String key) {
    Long value = limits.get(key);
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  /**
   * A standard limit.
   *
   * @param limit the limit
   * @return the limit, or empty when unlimited
   */
  public OptionalLong limit(StandardLimit limit) {
    return limit(limit.key());
  }

  /**
   * A setting by key.
   *
   * @param key the setting's key
   * @return its value, or empty
   */
  public Optional<String> setting(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  /** @return the pinned API version, or empty for the application's default */
  public Optional<String> findApiVersion() {
    return Optional.ofNullable(apiVersion);
  }
}
