package dev.tenancy.core.lifecycle;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.TenantValidationException;
import dev.tenancy.core.TierCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A change to a tenant: every part is optional, and {@code null} leaves it as it is.
 *
 * <p>Maps replace the tenant's overrides as a whole. An empty {@code apiVersion} removes the tenant's pin. With an
 * {@code expectedVersion} (an HTTP {@code If-Match}) the change applies only to that version of the tenant.
 *
 * <pre>{@code
 * tenants.update(id, TenantUpdate.none().withTier("pro").withDisplayName("Acme Realty Ltd").expectingVersion(7));
 * }</pre>
 *
 * @param displayName the new display name, or {@code null}
 * @param tier the new tier name, or {@code null}
 * @param status the new status, or {@code null}; {@code PROVISIONING} and {@code DELETED} are refused
 * @param featureFlags feature flags that replace the tenant's, or {@code null}
 * @param limits limits that replace the tenant's, or {@code null}
 * @param apiVersion the API version to pin, an empty text to remove the pin, or {@code null}
 * @param settings settings that replace the tenant's, or {@code null}
 * @param expectedVersion the version the change is based on, or {@code null} to apply it to the latest version
 */
public record TenantUpdate(
    @Nullable String displayName,
    @Nullable String tier,
    @Nullable TenantStatus status,
    @Nullable Map<String, Boolean> featureFlags,
    @Nullable Map<String, Long> limits,
    @Nullable String apiVersion,
    @Nullable Map<String, String> settings,
    @Nullable Long expectedVersion) {

  private static final TenantUpdate NONE = new TenantUpdate(null, null, null, null, null, null, null, null);

  /** Copies the maps (their entries are checked by {@link TenantService#update}). */
  public TenantUpdate {
    featureFlags = featureFlags == null ? null : NewTenant.copy(featureFlags, "featureFlags");
    limits = limits == null ? null : NewTenant.copy(limits, "limits");
    settings = settings == null ? null : NewTenant.copy(settings, "settings");
  }

  /** @return an update that changes nothing, to start from */
  public static TenantUpdate none() {
    return NONE;
  }

  /**
   * @param name the new display name
   * @return a copy that changes the display name
   */
  public TenantUpdate withDisplayName(@Nullable String name) {
    return new TenantUpdate(name, tier, status, featureFlags, limits, apiVersion, settings, expectedVersion);
  }

  /**
   * @param newTier the new tier name
   * @return a copy that changes the tier
   */
  public TenantUpdate withTier(@Nullable String newTier) {
    return new TenantUpdate(displayName, newTier, status, featureFlags, limits, apiVersion, settings, expectedVersion);
  }

  /**
   * @param newStatus the new status
   * @return a copy that changes the status
   */
  public TenantUpdate withStatus(@Nullable TenantStatus newStatus) {
    return new TenantUpdate(displayName, tier, newStatus, featureFlags, limits, apiVersion, settings, expectedVersion);
  }

  /**
   * @param flags feature flags that replace the tenant's
   * @return a copy that replaces the flags
   */
  public TenantUpdate withFeatureFlags(@Nullable Map<String, Boolean> flags) {
    return new TenantUpdate(displayName, tier, status, flags, limits, apiVersion, settings, expectedVersion);
  }

  /**
   * @param newLimits limits that replace the tenant's
   * @return a copy that replaces the limits
   */
  public TenantUpdate withLimits(@Nullable Map<String, Long> newLimits) {
    return new TenantUpdate(displayName, tier, status, featureFlags, newLimits, apiVersion, settings, expectedVersion);
  }

  /**
   * @param version the API version to pin, or an empty text to remove the pin
   * @return a copy that changes the pin
   */
  public TenantUpdate withApiVersion(@Nullable String version) {
    return new TenantUpdate(displayName, tier, status, featureFlags, limits, version, settings, expectedVersion);
  }

  /**
   * @param newSettings settings that replace the tenant's
   * @return a copy that replaces the settings
   */
  public TenantUpdate withSettings(@Nullable Map<String, String> newSettings) {
    return new TenantUpdate(displayName, tier, status, featureFlags, limits, apiVersion, newSettings, expectedVersion);
  }

  /**
   * @param version the version the change is based on
   * @return a copy that applies only to that version
   */
  public TenantUpdate expectingVersion(long version) {
    return new TenantUpdate(displayName, tier, status, featureFlags, limits, apiVersion, settings, version);
  }

  /**
   * Applies the change to a tenant, checking every field and the status transition.
   *
   * @return the changed tenant, still carrying {@code current}'s version
   * @throws TenantValidationException naming the first field that breaks its rule
   * @throws dev.tenancy.core.IllegalTenantTransitionException if the status change is not allowed
   */
  Tenant applyTo(Tenant current, TierCatalog catalog, Instant now, Duration retention) {
    Tenant changed = current;
    if (displayName != null && !Tenant.validDisplayName(displayName).equals(current.displayName())) {
      changed = changed.withDisplayName(displayName, now);
    }
    TenantConfiguration configuration = current.configuration();
    if (tier != null) {
      configuration = configuration.withTier(catalog.require(tier).name());
    }
    if (featureFlags != null) {
      configuration = configuration.withFeatureFlags(featureFlags);
    }
    if (limits != null) {
      configuration = configuration.withLimits(limits);
    }
    if (apiVersion != null) {
      configuration = configuration.withApiVersion(apiVersion.isEmpty() ? null : apiVersion);
    }
    if (settings != null) {
      configuration = configuration.withSettings(settings);
    }
    if (!configuration.equals(current.configuration())) {
      changed = changed.withConfiguration(configuration, now);
    }
    if (status != null && status != current.status()) {
      changed = changed.withStatus(status, now);
      if (status == TenantStatus.PROVISIONING || status == TenantStatus.DELETED) {
        throw new TenantValidationException("status", status == TenantStatus.DELETED
            ? "A tenant becomes DELETED only by being purged: call TenantService.delete(id, true)"
            : "Only TenantService.create puts a tenant into PROVISIONING");
      }
      if (status == TenantStatus.CANCELLED) {
        changed = changed.withPurgeAfter(now.plus(retention), now);
      }
    }
    return changed;
  }
}
