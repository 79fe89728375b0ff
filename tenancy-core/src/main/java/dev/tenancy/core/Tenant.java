package dev.tenancy.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A tenant as stored: immutable; every change produces a new value with a higher {@link #version()}.
 *
 * @param id the tenant's identity
 * @param slug its unique short name
 * @param displayName the name shown to people, 1 to 200 characters
 * @param status where it is in its life
 * @param configuration its tier and overrides
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param version the optimistic-locking version; a store increments it on every update
 * @param purgeAfter for a cancelled tenant, when its data may be purged; otherwise {@code null}
 */
public record Tenant(
    TenantId id,
    TenantSlug slug,
    String displayName,
    TenantStatus status,
    TenantConfiguration configuration,
    Instant createdAt,
    Instant updatedAt,
    long version,
    @Nullable Instant purgeAfter) {

  /** The most characters a display name may have. */
  public static final int MAX_DISPLAY_NAME_LENGTH = 200;

  /**
   * Validates the tenant.
   *
   * @throws TenantValidationException if the display name is blank, too long or has control characters
   */
  public Tenant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(slug, "slug");
    displayName = validDisplayName(displayName);
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(configuration, "configuration");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (version < 0) {
      throw new IllegalArgumentException("version must be zero or positive, was " + version);
    }
  }

  /**
   * Checks a display name.
   *
   * @param displayName the proposed name
   * @return the name, stripped of surrounding white space
   * @throws TenantValidationException if it is blank, too long or has control characters
   */
  public static String validDisplayName(String displayName) {
    Objects.requireNonNull(displayName, "displayName");
    String stripped = displayName.strip();
    if (stripped.isEmpty() || stripped.length() > MAX_DISPLAY_NAME_LENGTH) {
      throw new TenantValidationException("displayName",
          "A display name must have 1 to " + MAX_DISPLAY_NAME_LENGTH + " characters");
    }
    if (stripped.chars().anyMatch(Character::isISOControl)) {
      throw new TenantValidationException("displayName", "A display name must not contain control characters");
    }
    return stripped;
  }

  /** @return the tier name, from the configuration */
  public String tier() {
    return configuration.tier();
  }

  /** @return when a cancelled tenant's data may be purged, or empty */
  public Optional<Instant> scheduledPurge() {
    return Optional.ofNullable(purgeAfter);
  }

  /**
   * A copy with another status, checked against the transition table.
   *
   * @param target the new status
   * @param now the time of the change
   * @return the changed tenant (same version; the store increments it)
   * @throws IllegalTenantTransitionException if the table does not allow it
   */
  public Tenant withStatus(TenantStatus target, Instant now) {
    status.requireTransitionTo(id, target);
    return new Tenant(id, slug, displayName, target, configuration, createdAt, now, version, purgeAfter);
  }

  /**
   * @param name the new display name
   * @param now the time of the change
   * @return a copy with the name
   */
  public Tenant withDisplayName(String name, Instant now) {
    return new Tenant(id, slug, name, status, configuration, createdAt, now, version, purgeAfter);
  }

  /**
   * @param newConfiguration the new configuration
   * @param now the time of the change
   * @return a copy with the configuration
   */
  public Tenant withConfiguration(TenantConfiguration newConfiguration, Instant now) {
    return new Tenant(id, slug, displayName, status, newConfiguration, createdAt, now, version, purgeAfter);
  }

  /**
   * @param when when the data may be purged, or {@code null} to clear
   * @param now the time of the change
   * @return a copy with the purge time
   */
  public Tenant withPurgeAfter(@Nullable Instant when, Instant now) {
    return new Tenant(id, slug, displayName, status, configuration, createdAt, now, version, when);
  }

  /**
   * @param newVersion the version a store assigns
   * @return a copy with that version
   */
  public Tenant withVersion(long newVersion) {
    return new Tenant(id, slug, displayName, status, configuration, createdAt, updatedAt, newVersion, purgeAfter);
  }
}
