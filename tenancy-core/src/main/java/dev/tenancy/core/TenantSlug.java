package dev.tenancy.core;

import java.util.Locale;
import java.util.Objects;

/**
 * A tenant's short, human-readable name, used in URLs, sub-domains and (through quoting helpers only) in identifiers.
 *
 * <p>The rule: 2 to 63 characters, lower-case ASCII letters, digits and hyphens, starting with a letter, no two hyphens
 * in a row and no trailing hyphen ({@code ^[a-z][a-z0-9-]{1,62}$}). This rules out upper case, SQL, paths, dots,
 * spaces and any non-ASCII look-alike characters, so two slugs that look the same are the same.
 *
 * @param value the validated slug text
 */
public record TenantSlug(String value) implements Comparable<TenantSlug> {

  /** The rule, as shown to users in every rejection. */
  public static final String RULE = "a slug is 2 to 63 characters of lower-case letters a-z, digits and hyphens, "
      + "starts with a letter, and has no '--' and no trailing '-'";

  /** The most characters a slug may have: fits in a PostgreSQL identifier together with a short prefix. */
  public static final int MAX_LENGTH = 63;

  /**
   * Validates the slug.
   *
   * @throws TenantValidationException if the text breaks {@link #RULE}
   */
  public TenantSlug {
    Objects.requireNonNull(value, "value");
    String problem = problemWith(value);
    if (problem != null) {
      throw new TenantValidationException("slug", "Invalid slug: " + problem + "; " + RULE);
    }
  }

  /**
   * Validates and wraps a slug.
   *
   * @param value the slug text
   * @return the slug
   * @throws TenantValidationException if the text breaks {@link #RULE}
   */
  public static TenantSlug of(String value) {
    return new TenantSlug(value);
  }

  /**
   * Tells whether a text is a valid slug, without throwing.
   *
   * @param value any text
   * @return {@code true} if {@link #of(String)} would accept it
   */
  public static boolean isValid(String value) {
    return value != null && problemWith(value) == null;
  }

  private static String problemWith(String value) {
    if (value.isEmpty()) {
      return "it is empty";
    }
    if (value.length() > MAX_LENGTH) {
      return "it has " + value.length() + " characters";
    }
    if (value.length() < 2) {
      return "it has only one character";
    }
    char first = value.charAt(0);
    if (first < 'a' || first > 'z') {
      return "it does not start with a lower-case letter";
    }
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      if (!allowed) {
        return "character " + (i + 1) + " is not allowed";
      }
      if (c == '-' && value.charAt(i - 1) == '-') {
        return "it contains '--'";
      }
    }
    if (value.charAt(value.length() - 1) == '-') {
      return "it ends with '-'";
    }
    return null;
  }

  /**
   * The slug as it appears in environment variable names: upper case, hyphens as underscores ({@code acme-realty} →
   * {@code ACME_REALTY}).
   *
   * @return the environment-variable form
   */
  public String environmentKey() {
    return value.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  @Override
  public int compareTo(TenantSlug other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
