package dev.tenancy.core;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tiers a deployment sells. Immutable; build one with {@link #builder()} or start from {@link #builtIn()}.
 *
 * <pre>{@code
 * TierCatalog tiers = TierCatalog.builtIn().toBuilder()
 *     .tier(new Tier("agency-plus", Map.of("apiCallsPerMonth", 2_000_000L), Map.of("leadScoring", true)))
 *     .build();
 * }</pre>
 */
public final class TierCatalog {

  private static final long MIB = 1024L * 1024L;
  private static final TierCatalog BUILT_IN = builder()
      .tier(new Tier("free",
          Map.of("apiCallsPerMonth", 10_000L, "requestsPerSecond", 5L, "maxConcurrentRequests", 5L,
              "storageBytes", 100 * MIB, "concurrentUsers", 3L, "auditRetentionDays", 30L,
              "slaP95Millis", 1_000L),
          Map.of("leadScoring", false, "sso", false, "auditExport", false)))
      .tier(new Tier("pro",
          Map.of("apiCallsPerMonth", 1_000_000L, "requestsPerSecond", 50L, "maxConcurrentRequests", 25L,
              "storageBytes", 10_240 * MIB, "concurrentUsers", 50L, "auditRetentionDays", 365L,
              "slaP95Millis", 500L),
          Map.of("leadScoring", true, "sso", false, "auditExport", true)))
      .tier(new Tier("enterprise",
          Map.of("apiCallsPerMonth", 50_000_000L, "requestsPerSecond", 500L, "maxConcurrentRequests", 200L,
              "storageBytes", 1_048_576 * MIB, "concurrentUsers", 5_000L,
              "auditRetentionDays", 2_557L, "slaP95Millis", 250L),
          Map.of("leadScoring", true, "sso", true, "auditExport", true)))
      .build();

  private final Map<String, Tier> tiers;

  private TierCatalog(Map<String, Tier> tiers) {
    this.tiers = Collections.unmodifiableMap(new LinkedHashMap<>(tiers));
  }

  /**
   * The built-in catalog: {@code free}, {@code pro} and {@code enterprise} with the limits of
   * {@link StandardLimit} and the flags {@code leadScoring}, {@code sso} and {@code auditExport}.
   *
   * @return the built-in catalog
   */
  public static TierCatalog builtIn() {
    return BUILT_IN;
  }

  /**
   * Starts an empty catalog.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder(Map.of());
  }

  /**
   * Starts a builder holding this catalog's tiers, to add or replace some.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    return new Builder(tiers);
  }

  /**
   * Looks a tier up.
   *
   * @param name the tier name
   * @return the tier, or empty if the catalog has none of that name
   */
  public Optional<Tier> find(String name) {
    return Optional.ofNullable(tiers.get(Objects.requireNonNull(name, "name")));
  }

  /**
   * Looks a tier up and fails if it is missing.
   *
   * @param name the tier name
   * @return the tier
   * @throws TenantValidationException if the catalog has no such tier
   */
  public Tier require(String name) {
    Tier tier = tiers.get(Objects.requireNonNull(name, "name"));
    if (tier == null) {
      throw new TenantValidationException("tier", "Unknown tier '" + name + "'; known tiers: " + tiers.keySet());
    }
    return tier;
  }

  /** @return the tiers in the order they were added */
  public Collection<Tier> tiers() {
    return tiers.values();
  }

  @Override
  public String toString() {
    return "TierCatalog" + tiers.keySet();
  }

  /** Collects tiers; a later tier of the same name replaces an earlier one. */
  public static final class Builder {
    private final Map<String, Tier> tiers;

    private Builder(Map<String, Tier> initial) {
      this.tiers = new LinkedHashMap<>(initial);
    }

    /**
     * Adds or replaces a tier.
     *
     * @param tier the tier
     * @return this builder
     */
    public Builder tier(Tier tier) {
      Objects.requireNonNull(tier, "tier");
      tiers.put(tier.name(), tier);
      return this;
    }

    /**
     * Builds the catalog.
     *
     * @return the immutable catalog
     * @throws TenancyConfigurationException if no tier was added
     */
    public TierCatalog build() {
      if (tiers.isEmpty()) {
        throw new TenancyConfigurationException("A tier catalog needs at least one tier");
      }
      return new TierCatalog(tiers);
    }
  }
}
