package dev.tenancy.core.identity;

import dev.tenancy.core.TenancyException;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a presented API key does not authenticate. An HTTP adapter answers 401 ({@code invalid-token}) for
 * every reason alike — the reason is for the audit trail and logs, so a caller learns nothing about which keys exist.
 * The message never contains the presented text.
 *
 * @since 0.1.0
 */
public final class InvalidApiKeyException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /** Why a key was refused. */
  public enum Reason {
    /** Not a key of the form {@code tny_<id>_<secret>} (wrong length, prefix or characters). */
    MALFORMED,
    /** No key has this id. */
    UNKNOWN,
    /** A key has this id, but the secret is wrong — someone knows an id and guesses. */
    WRONG_SECRET,
    /** The key was revoked. */
    REVOKED,
    /** The key expired (or its grace period after a rotation ended). */
    EXPIRED,
    /** The key's tenant does not exist or does not serve requests (suspended, cancelled, deleted). */
    TENANT_NOT_SERVING
  }

  private final Reason reason;
  private final @Nullable String keyId;

  /**
   * Creates the exception.
   *
   * @param reason why the key was refused
   * @param keyId the key's public id, if the text was well formed
   */
  public InvalidApiKeyException(Reason reason, @Nullable String keyId) {
    super(message(Objects.requireNonNull(reason, "reason"), keyId));
    this.reason = reason;
    this.keyId = keyId;
  }

  /** @return why the key was refused */
  public Reason reason() {
    return reason;
  }

  /** @return the public id of the presented key, if the text was well formed */
  public Optional<String> keyId() {
    return Optional.ofNullable(keyId);
  }

  private static String message(Reason reason, @Nullable String keyId) {
    String key = keyId == null ? "The API key" : "API key " + ApiKeyFormat.masked(keyId);
    return switch (reason) {
      case MALFORMED -> "The API key is malformed: a key reads tny_<8 characters>_<43 characters>; check that it was "
          + "copied whole";
      case UNKNOWN, WRONG_SECRET -> key + " is not valid; check that it was copied whole, or create a new one";
      case REVOKED -> key + " was revoked; create a new one";
      case EXPIRED -> key + " expired; rotate or create a new one";
      case TENANT_NOT_SERVING -> key + " belongs to a tenant that does not serve requests";
    };
  }
}
