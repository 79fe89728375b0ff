package dev.tenancy.core.identity;

import dev.tenancy.core.TenancyException;
import dev.tenancy.core.TenantId;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a token is refused. Map it to 401 {@code invalid-token}; the {@link #reason()} is for logs and audit,
 * and should not be told to the caller in more detail than "invalid token".
 *
 * <p>Neither the message nor the exception chain ever contains the token or any part of it (java-jwt's own messages
 * quote the decoded JSON, so they are never kept as a cause).
 *
 * @since 0.1.0
 */
public final class InvalidTokenException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final InvalidTokenReason reason;
  private final transient @Nullable TenantId tenant;

  /**
   * Creates the exception.
   *
   * @param reason why the token was refused
   * @param tenant the tenant the token verifiably belongs to, or {@code null} if that was not established
   */
  public InvalidTokenException(InvalidTokenReason reason, @Nullable TenantId tenant) {
    super("Token rejected: " + Objects.requireNonNull(reason, "reason").description()
        + "; the caller must obtain a new, valid token");
    this.reason = reason;
    this.tenant = tenant;
  }

  /** @return why the token was refused */
  public InvalidTokenReason reason() {
    return reason;
  }

  /**
   * @return the tenant the token verifiably belongs to (its signature checked), if refused after that was
   *     established, e.g. for a revoked token or a suspended tenant
   */
  public Optional<TenantId> findTenant() {
    return Optional.ofNullable(tenant);
  }
}
