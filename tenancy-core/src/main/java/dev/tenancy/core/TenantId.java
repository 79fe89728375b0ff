package dev.tenancy.core;

import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The identity of a tenant: a UUID, compared by value.
 *
 * <p>Parsing is strict: only the canonical 36-character hyphenated form is accepted (either case), so
 * {@code "1-1-1-1-1"} — which {@link UUID#fromString(String)} happily accepts — is refused, and the nil UUID is
 * refused because an all-zero id is what uninitialised code produces, never a real tenant.
 *
 *
 * <p>A value class rather than a record so that it can keep its canonical text and its hash: the id is rendered into
 * the logging MDC on every scope entry, and rendering a UUID each time costs more than the scope itself; and a request
 * hashes it several times (tenant cache, quota keys, bulkhead), which with many tenants would each time reach into the
 * separate {@link UUID} object, a cache miss of its own. (The hash fits the object's padding: no extra memory.)
 */
public final class TenantId implements Comparable<TenantId> {

  private static final UUID NIL = new UUID(0L, 0L);

  private final UUID value;
  private final String text;
  private final int hash;

  private TenantId(UUID value) {
    Objects.requireNonNull(value, "value");
    if (NIL.equals(value)) {
      throw new TenantValidationException("tenantId", "The nil UUID is not a tenant id; generate ids with TenantId.random()");
    }
    this.value = value;
    this.text = value.toString();
    this.hash = value.hashCode();
  }

  /**
   * Wraps a UUID.
   *
   * @param value a non-nil UUID
   * @return the tenant id
   * @throws TenantValidationException if {@code value} is the nil UUID
   */
  public static TenantId of(UUID value) {
    return new TenantId(value);
  }

  /**
   * Parses the canonical text form {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}.
   *
   * @param text the text to parse
   * @return the tenant id
   * @throws TenantValidationException if the text is not a canonical UUID
   */
  public static TenantId of(String text) {
    Objects.requireNonNull(text, "text");
    if (!isCanonical(text)) {
      throw new TenantValidationException("tenantId",
          "A tenant id must be a UUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (36 hex digits and hyphens)");
    }
    return new TenantId(UUID.fromString(text));
  }

  /**
   * Tells whether a text is a well-formed tenant id, without throwing.
   *
   * @param text any text
   * @return {@code true} if {@link #of(String)} would accept it
   */
  public static boolean isValid(String text) {
    return text != null && isCanonical(text) && !NIL.equals(UUID.fromString(text));
  }

  /**
   * Creates a fresh random (version 4) tenant id.
   *
   * @return a new id
   */
  public static TenantId random() {
    return new TenantId(UUID.randomUUID());
  }

  private static boolean isCanonical(String text) {
    if (text.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      boolean hyphenPosition = i == 8 || i == 13 || i == 18 || i == 23;
      if (hyphenPosition ? c != '-' : Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** @return the UUID inside */
  public UUID value() {
    return value;
  }

  @Override
  public int compareTo(TenantId other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other == this || other instanceof TenantId id && hash == id.hash && value.equals(id.value);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** @return the canonical lower-case text form */
  @Override
  public String toString() {
    return text;
  }
}
