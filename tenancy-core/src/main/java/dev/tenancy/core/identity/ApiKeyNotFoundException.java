package dev.tenancy.core.identity;

import dev.tenancy.core.TenancyException;
import java.util.Objects;

/**
 * Thrown when an API key to rotate, revoke or inspect does not exist — or belongs to another tenant, which is
 * reported exactly alike so that ids tell nothing about other tenants' keys.
 *
 * @since 0.1.0
 */
public final class ApiKeyNotFoundException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final String keyId;

  /**
   * Creates the exception.
   *
   * @param keyId the id that matched no key of the caller's tenant
   */
  public ApiKeyNotFoundException(String keyId) {
    super("No API key " + describe(Objects.requireNonNull(keyId, "keyId")) + " in your tenant; list the tenant's "
        + "keys to find its id (8 characters a-z0-9, as in tny_<id>_...)");
    this.keyId = keyId;
  }

  /** @return the id as given */
  public String keyId() {
    return keyId;
  }

  // Only a well-formed id is repeated: a caller who passes a whole key by mistake must not find its secret in a log.
  private static String describe(String keyId) {
    return ApiKeyFormat.isValidId(keyId) ? "'" + keyId + "'" : "with the given (malformed) id";
  }
}
