package dev.tenancy.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A record of platform (cross-tenant) access: who, why, into which tenant if any, and when.
 *
 * @param actor who acts, e.g. the platform administrator's subject
 * @param reason why, as given by the actor; required and non-blank
 * @param tenant the tenant acted in, or {@code null} for cross-tenant work
 * @param at when the access started
 */
public record PlatformAccess(String actor, String reason, @Nullable TenantId tenant, Instant at) {

  /**
   * Validates the access.
   *
   * @throws IllegalArgumentException if actor or reason is blank
   */
  public PlatformAccess {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
    if (actor.isBlank()) {
      throw new IllegalArgumentException("Platform access needs an actor: who is acting");
    }
    if (reason.isBlank()) {
      throw new IllegalArgumentException("Platform access needs a reason: why the actor crosses tenant boundaries");
    }
  }

  /** @return the tenant acted in, or empty for cross-tenant work */
  public Optional<TenantId> findTenant() {
    return Optional.ofNullable(tenant);
  }
}
