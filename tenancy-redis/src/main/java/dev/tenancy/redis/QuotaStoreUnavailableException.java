package dev.tenancy.redis;

import dev.tenancy.core.TenancyException;
import java.util.Objects;

/**
 * Thrown by a {@link RedisQuotaStore} with {@link FailurePolicy#FAIL_CLOSED} when Redis cannot answer in time: the
 * caller must deny the request (a limit that cannot be checked is not granted). The store tries Redis again by itself
 * after a short back-off; nothing needs to be reset.
 */
public final class QuotaStoreUnavailableException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final String target;

  /**
   * Creates the exception.
   *
   * @param target which Redis, without credentials
   * @param message what failed and what to check
   * @param cause the underlying failure, if one was seen on this call
   */
  public QuotaStoreUnavailableException(String target, String message, Throwable cause) {
    super(message, cause);
    this.target = Objects.requireNonNull(target, "target");
  }

  /**
   * Creates the exception for a call that did not reach Redis (the store is waiting out its back-off).
   *
   * @param target which Redis, without credentials
   * @param message what failed and what to check
   */
  public QuotaStoreUnavailableException(String target, String message) {
    super(message);
    this.target = Objects.requireNonNull(target, "target");
  }

  /** @return which Redis could not be used, without credentials */
  public String target() {
    return target;
  }
}
