package dev.tenancy.core.identity;

import dev.tenancy.core.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A request for a tenant's API key, for {@link ApiKeyService#create}.
 *
 * <pre>{@code
 * NewApiKey.of(tenant, "ci-bot", Set.of("agent")).withName("CI deploys").expiringAt(now.plus(90, DAYS))
 * }</pre>
 *
 * @param tenant the tenant the key acts in
 * @param subject the user or client the key belongs to
 * @param name a label for people
 * @param roles the roles it grants, each known to the tenant and grantable by the creator
 * @param expiresAt when it stops working, or {@code null} for never
 * @since 0.1.0
 */
public record NewApiKey(TenantId tenant, String subject, String name, Set<String> roles,
    @Nullable Instant expiresAt) {

  /**
   * Checks the texts and copies the roles.
   *
   * @throws IllegalArgumentException if the subject or name is blank, too long or holds control characters
   */
  public NewApiKey {
    Objects.requireNonNull(tenant, "tenant");
    ApiKey.requireText(subject, "subject");
    ApiKey.requireText(name, "name");
    roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
  }

  /**
   * A key named after its subject that never expires.
   *
   * @param tenant the tenant
   * @param subject the user or client
   * @param roles the roles
   * @return the request
   */
  public static NewApiKey of(TenantId tenant, String subject, Set<String> roles) {
    return new NewApiKey(tenant, subject, subject, roles, null);
  }

  /**
   * @param label a label for people
   * @return a copy with that name
   */
  public NewApiKey withName(String label) {
    return new NewApiKey(tenant, subject, label, roles, expiresAt);
  }

  /**
   * @param at when the key stops working; must be in the future when the key is created
   * @return a copy that expires then
   */
  public NewApiKey expiringAt(Instant at) {
    return new NewApiKey(tenant, subject, name, roles, Objects.requireNonNull(at, "at"));
  }
}
