package dev.tenancy.core.identity;

import java.util.Objects;

/**
 * A newly created API key with its secret — the only time the secret exists outside the client: Tenancy stores
 * only its hash. Hand {@link #secret()} to the client once and drop this object; {@link #toString()} never shows it.
 *
 * @param key what is stored about the key
 * @param secret the full key text, {@code tny_<id>_<secret>}, as the client presents it
 * @since 0.1.0
 */
public record IssuedApiKey(ApiKey key, String secret) {

  /** Checks that the secret belongs to the key. */
  public IssuedApiKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(secret, "secret");
    if (!key.id().equals(ApiKeyFormat.idOf(secret))) {
      throw new IllegalArgumentException("The secret is not a well-formed key with id " + key.id());
    }
  }

  /** @return the key's id */
  public String id() {
    return key.id();
  }

  /** @return the key without its secret: {@code IssuedApiKey[tny_<id>_***, subject=…, roles=…]} */
  @Override
  public String toString() {
    return "IssuedApiKey[" + ApiKeyFormat.masked(key.id()) + ", tenant=" + (key.isPlatform() ? "platform"
        : key.tenant()) + ", subject=" + key.subject() + ", roles=" + key.roles() + "]";
  }
}
