package dev.tenancy.core.quota;

import dev.tenancy.core.TenancyException;
import java.util.Objects;

/**
 * Thrown by a {@link dev.tenancy.core.spi.QuotaStore} that cannot answer (its backing service is unreachable, too
 * slow or refusing work) and is configured to fail closed: the caller must deny the request, since a limit that cannot
 * be checked is not granted. {@link QuotaManager#check} lets it through with nothing held, so that an HTTP adapter can
 * answer 503 with {@code Retry-After} rather than 429. A store recovers by itself (e.g. {@code RedisQuotaStore} probes
 * again after a short back-off); nothing needs to be reset.
 *
 * @since 0.1.0
 */
public final class QuotaStoreUnavailableException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final String target;

  /**
   * Creates the exception.
   *
   * @param target which store (e.g. the Redis address), without credentials
   * @param message what failed and what to check
   * @param cause the underlying failure, if one was seen on this call
   */
  public QuotaStoreUnavailableException(String target, String message, Throwable cause) {
    super(message, cause);
    this.target = Objects.requireNonNull(target, "target");
  }

  /**
   * Creates the exception for a call that did not reach Redis (e.g. the store is waiting out its back-off).
   *
   * @param target which store (e.g. the Redis address), without credentials
   * @param message what failed and what to check
   */
  public QuotaStoreUnavailableException(String target, String message) {
    super(message);
    this.target = Objects.requireNonNull(target, "target");
  }

  /** @return which store could not be used (e.g. the Redis address), without credentials */
  public String target() {
    return target;
  }
}
