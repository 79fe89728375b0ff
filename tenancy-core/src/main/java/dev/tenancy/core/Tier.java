package dev.tenancy.core;

import java.util.Map;

/**
 * A named plan with default limits and feature flags, such as {@code free}, {@code pro} or {@code enterprise}.
 *
 * @param name the tier's name, referenced from {@link TenantConfiguration#tier()}
 * @param limits default limits by key; a missing key means unlimited
 * @param features default feature flags; a missing flag means disabled
 */
public record Tier(String name, Map<String, Long> limits, Map<String, Boolean> features) {

  /**
   * Validates and copies the tier.
   *
   * @throws TenantValidationException if the name, a key or a value breaks its rule
   */
  public Tier {
    name = ConfigurationKeys.tierName(name);
    limits = ConfigurationKeys.limits("limits", limits);
    features = ConfigurationKeys.features("features", features);
  }
}
