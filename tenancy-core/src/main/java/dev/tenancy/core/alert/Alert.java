package dev.tenancy.core.alert;

import dev.tenancy.core.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An open alert of the {@link AlertCenter}: about one tenant, or about the platform as a whole.
 *
 * @param id the alert's id, unique in its center
 * @param tenant the tenant it concerns, or {@code null} for a platform-wide alert
 * @param kind quota, SLA or security
 * @param severity how urgent it is
 * @param key the de-duplication key: the center raises one alert per key and period
 * @param message what happened, for an operator; never another tenant's data
 * @param raisedAt when it was raised
 * @since 0.1.0
 */
public record Alert(String id, @Nullable TenantId tenant, AlertKind kind, AlertSeverity severity, String key,
    String message, Instant raisedAt) {

  /**
   * Checks that no part is missing.
   *
   * @throws IllegalArgumentException if the id, key or message is blank
   */
  public Alert {
    requireText(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(severity, "severity");
    requireText(key, "key");
    requireText(message, "message");
    Objects.requireNonNull(raisedAt, "raisedAt");
  }

  /** @return the tenant, unless the alert is platform-wide */
  public Optional<TenantId> findTenant() {
    return Optional.ofNullable(tenant);
  }

  private static void requireText(String value, String name) {
    if (Objects.requireNonNull(value, name).isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
