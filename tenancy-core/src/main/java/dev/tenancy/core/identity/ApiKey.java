package dev.tenancy.core.identity;

import dev.tenancy.core.TenantId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What is known about an API key apart from its secret: everything an administrator may list and see.
 *
 * <p>Time stamps are kept to whole microseconds, what every store keeps without rounding.
 *
 * @param id the key's public id, 8 characters {@code a-z0-9}; the full key reads {@code tny_<id>_<secret>}
 * @param tenant the tenant the key acts in, or {@code null} for a platform key
 * @param subject the user or client the key belongs to
 * @param name a label for people, e.g. {@code ci-deploy}
 * @param roles the roles the key grants ({@value TenantPrincipal#PLATFORM_ADMIN} alone for a platform key)
 * @param createdAt when it was created
 * @param expiresAt when it stops working, or {@code null} for never (rotation with a grace period sets it)
 * @param revokedAt when it was revoked, or {@code null}
 * @since 0.1.0
 */
public record ApiKey(String id, @Nullable TenantId tenant, String subject, String name, Set<String> roles,
    Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant revokedAt) {

  /** The longest subject or name. */
  public static final int MAX_TEXT = 200;

  /**
   * Checks every part, copies the roles and truncates the time stamps to microseconds.
   *
   * @throws IllegalArgumentException if the id is not 8 characters {@code a-z0-9}, a text is blank, longer than
   *     {@value #MAX_TEXT} or holds control characters, a role name is invalid, or a platform key holds other roles
   *     than {@value TenantPrincipal#PLATFORM_ADMIN} (or a tenant key holds that one)
   */
  public ApiKey {
    if (!ApiKeyFormat.isValidId(Objects.requireNonNull(id, "id"))) {
      throw new IllegalArgumentException("An API key id is " + ApiKeyFormat.ID_LENGTH + " characters a-z0-9");
    }
    requireText(subject, "subject");
    requireText(name, "name");
    roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
    for (String role : roles) {
      if (!RoleCatalog.isValidRoleName(role)) {
        throw new IllegalArgumentException("Invalid role name '" + role + "' on API key " + id);
      }
    }
    if (tenant == null && !roles.equals(Set.of(TenantPrincipal.PLATFORM_ADMIN))) {
      throw new IllegalArgumentException("A platform key holds exactly the role " + TenantPrincipal.PLATFORM_ADMIN);
    }
    if (tenant != null && roles.contains(TenantPrincipal.PLATFORM_ADMIN)) {
      throw new IllegalArgumentException("A tenant's API key can never hold " + TenantPrincipal.PLATFORM_ADMIN);
    }
    createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MICROS);
    expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS);
    revokedAt = revokedAt == null ? null : revokedAt.truncatedTo(ChronoUnit.MICROS);
  }

  /** @return whether this is a platform key ({@value TenantPrincipal#PLATFORM_ADMIN}, no tenant) */
  public boolean isPlatform() {
    return tenant == null;
  }

  /** @return the visible start of the key, {@code tny_<id>_}, to tell keys apart in lists and logs */
  public String prefix() {
    return ApiKeyFormat.PREFIX + id + "_";
  }

  /** @return the tenant, unless this is a platform key */
  public Optional<TenantId> findTenant() {
    return Optional.ofNullable(tenant);
  }

  /** @return when the key stops working, if ever */
  public Optional<Instant> findExpiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  /** @return when the key was revoked, if it was */
  public Optional<Instant> findRevokedAt() {
    return Optional.ofNullable(revokedAt);
  }

  /**
   * @param now an instant
   * @return whether the key authenticates at that instant: not revoked, not expired
   */
  public boolean isActiveAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  /**
   * @param at when the key was revoked
   * @return a copy revoked at that instant
   */
  public ApiKey withRevokedAt(Instant at) {
    return new ApiKey(id, tenant, subject, name, roles, createdAt, expiresAt, at);
  }

  /**
   * @param at when the key stops working
   * @return a copy expiring then
   */
  public ApiKey withExpiresAt(@Nullable Instant at) {
    return new ApiKey(id, tenant, subject, name, roles, createdAt, at, revokedAt);
  }

  static void requireText(@Nullable String value, String field) {
    if (Objects.requireNonNull(value, field).isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    if (value.length() > MAX_TEXT) {
      throw new IllegalArgumentException(field + " is longer than " + MAX_TEXT + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(field + " must not contain control characters");
      }
    }
  }
}
