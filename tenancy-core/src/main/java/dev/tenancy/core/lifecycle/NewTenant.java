package dev.tenancy.core.lifecycle;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.TenantValidationException;
import dev.tenancy.core.TierCatalog;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request to create a tenant, as a caller supplied it.
 *
 * <p>The record holds the values unchecked (beyond nulls) so that one bad request in a {@link TenantService#bulk bulk}
 * call gets its own answer instead of failing the whole batch: {@link TenantService#create} checks every field and
 * throws a {@link TenantValidationException} naming the first one that breaks its rule.
 *
 * <pre>{@code
 * NewTenant request = NewTenant.of("acme-realty", "Acme Realty")
 *     .withTier("pro")
 *     .withInitialStatus(TenantStatus.ACTIVE)
 *     .withLimits(Map.of("concurrentUsers", 80L));
 * }</pre>
 *
 * @param slug the slug text, checked against {@link TenantSlug#RULE}
 * @param displayName the name shown to people
 * @param tier the tier name, or {@code null} for {@code free} (or the catalog's first tier if it has no {@code free})
 * @param initialStatus {@link TenantStatus#TRIAL} or {@link TenantStatus#ACTIVE}, or {@code null} for {@code TRIAL}
 * @param featureFlags feature flags that differ from the tier's
 * @param limits limits that differ from the tier's
 * @param apiVersion the API version to pin, or {@code null} for the application's default
 * @param settings free-form application settings
 */
public record NewTenant(
    String slug,
    String displayName,
    @Nullable String tier,
    @Nullable TenantStatus initialStatus,
    Map<String, Boolean> featureFlags,
    Map<String, Long> limits,
    @Nullable String apiVersion,
    Map<String, String> settings) {

  /** The tier a tenant gets when the request names none and the catalog has it. */
  public static final String DEFAULT_TIER = "free";

  /** Checks for missing parts and copies the maps (their entries are checked by {@link TenantService#create}). */
  public NewTenant {
    Objects.requireNonNull(slug, "slug");
    Objects.requireNonNull(displayName, "displayName");
    featureFlags = copy(featureFlags, "featureFlags");
    limits = copy(limits, "limits");
    settings = copy(settings, "settings");
  }

  /**
   * A request with a slug and a display name; everything else defaults.
   *
   * @param slug the slug text
   * @param displayName the name shown to people
   * @return the request
   */
  public static NewTenant of(String slug, String displayName) {
    return new NewTenant(slug, displayName, null, null, Map.of(), Map.of(), null, Map.of());
  }

  /**
   * @param newTier the tier name, or {@code null} for the default
   * @return a copy on that tier
   */
  public NewTenant withTier(@Nullable String newTier) {
    return new NewTenant(slug, displayName, newTier, initialStatus, featureFlags, limits, apiVersion, settings);
  }

  /**
   * @param status {@code TRIAL} or {@code ACTIVE}, or {@code null} for {@code TRIAL}
   * @return a copy starting in that status
   */
  public NewTenant withInitialStatus(@Nullable TenantStatus status) {
    return new NewTenant(slug, displayName, tier, status, featureFlags, limits, apiVersion, settings);
  }

  /**
   * @param flags feature flags that differ from the tier's
   * @return a copy with these flags
   */
  public NewTenant withFeatureFlags(Map<String, Boolean> flags) {
    return new NewTenant(slug, displayName, tier, initialStatus, flags, limits, apiVersion, settings);
  }

  /**
   * @param newLimits limits that differ from the tier's
   * @return a copy with these limits
   */
  public NewTenant withLimits(Map<String, Long> newLimits) {
    return new NewTenant(slug, displayName, tier, initialStatus, featureFlags, newLimits, apiVersion, settings);
  }

  /**
   * @param version the API version to pin, or {@code null} for the application's default
   * @return a copy with the pin
   */
  public NewTenant withApiVersion(@Nullable String version) {
    return new NewTenant(slug, displayName, tier, initialStatus, featureFlags, limits, version, settings);
  }

  /**
   * @param newSettings free-form application settings
   * @return a copy with these settings
   */
  public NewTenant withSettings(Map<String, String> newSettings) {
    return new NewTenant(slug, displayName, tier, initialStatus, featureFlags, limits, apiVersion, newSettings);
  }

  /** The status the tenant moves to once provisioned, checked. */
  TenantStatus targetStatus() {
    TenantStatus status = initialStatus == null ? TenantStatus.TRIAL : initialStatus;
    if (status != TenantStatus.TRIAL && status != TenantStatus.ACTIVE) {
      throw new TenantValidationException("initialStatus",
          "A new tenant starts as TRIAL or ACTIVE, not " + status + "; create it, then change its status");
    }
    return status;
  }

  /**
   * Checks every field and builds the tenant to insert: status {@code PROVISIONING}, version 0.
   *
   * @throws TenantValidationException naming the first field that breaks its rule
   */
  Tenant toProvisioningTenant(TenantId id, TierCatalog catalog, Instant now) {
    TenantSlug validSlug = TenantSlug.of(slug);
    String validName = Tenant.validDisplayName(displayName);
    String tierName = tier != null ? tier : catalog.find(DEFAULT_TIER).isPresent()
        ? DEFAULT_TIER : catalog.tiers().iterator().next().name();
    catalog.require(tierName);
    targetStatus();
    TenantConfiguration configuration = new TenantConfiguration(tierName, featureFlags, limits, apiVersion, settings);
    return new Tenant(id, validSlug, validName, TenantStatus.PROVISIONING, configuration, now, now, 0L, null);
  }

  /** Copies a map keeping null entries, so that they are reported by validation rather than by a copy. */
  static <V> Map<String, V> copy(Map<String, V> source, String name) {
    Objects.requireNonNull(source, name);
    return Collections.unmodifiableMap(new LinkedHashMap<>(source));
  }
}
