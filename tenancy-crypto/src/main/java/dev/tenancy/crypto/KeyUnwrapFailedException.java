package dev.tenancy.crypto;

import java.util.Objects;

/**
 * Thrown by a KEK provider when a wrapped data key cannot be unwrapped: the KEK version it names is not loaded, or the
 * wrapped bytes or their context (tenant, key version) were altered.
 *
 * @since 0.1.0
 */
public final class KeyUnwrapFailedException extends TenantCryptoException {
  private static final long serialVersionUID = 1L;

  private final String kekId;

  /**
   * Creates the exception.
   *
   * @param kekId the KEK version the wrapped key names
   * @param reason a short, secret-free reason
   */
  public KeyUnwrapFailedException(String kekId, String reason) {
    super("Cannot unwrap a data key wrapped by KEK '" + kekId + "': " + reason);
    this.kekId = Objects.requireNonNull(kekId, "kekId");
  }

  /** @return the KEK version the wrapped key names */
  public String kekId() {
    return kekId;
  }
}
