package dev.tenancy.core.identity;

import java.util.Objects;

/**
 * A right to perform one action on one kind of resource, written {@code resource:action} — {@code leads:write},
 * {@code api_keys:manage}.
 *
 * <p>Roles may hold wildcards: {@code leads:*} (every action on leads), {@code *:read} (reading anything) and
 * {@code *:*} (everything inside the tenant). A check ({@link Permissions#require(String)}) always names a concrete
 * permission. Both parts are 1 to 64 characters of lower-case letters, digits, {@code _}, {@code -} and {@code .},
 * starting with a letter; anything else is refused, so a permission never carries spaces, upper case or a second
 * colon that could be read two ways.
 *
 * @param resource the kind of resource, or {@value #ANY} in a role's permission
 * @param action the action, or {@value #ANY} in a role's permission
 * @since 0.1.0
 */
public record Permission(String resource, String action) {

  /** The wildcard, standing for any resource or any action. */
  public static final String ANY = "*";

  private static final int MAX_PART = 64;

  /**
   * Checks both parts.
   *
   * @throws IllegalArgumentException if a part breaks the rule above
   */
  public Permission {
    requirePart(Objects.requireNonNull(resource, "resource"), "resource");
    requirePart(Objects.requireNonNull(action, "action"), "action");
  }

  /**
   * Parses {@code resource:action}.
   *
   * @param text e.g. {@code leads:write}, {@code leads:*}, {@code *:read}
   * @return the permission
   * @throws IllegalArgumentException if the text is not two valid parts around one colon
   */
  public static Permission parse(String text) {
    Objects.requireNonNull(text, "text");
    int colon = text.indexOf(':');
    if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException("A permission is written resource:action, such as leads:write; was '"
          + shorten(text) + "'");
    }
    return new Permission(text.substring(0, colon), text.substring(colon + 1));
  }

  /** @return whether either part is the wildcard */
  public boolean isWildcard() {
    return resource.equals(ANY) || action.equals(ANY);
  }

  /**
   * Tells whether holding this permission allows {@code other}: equal parts, or a wildcard here.
   *
   * @param other a permission, possibly itself a wildcard
   * @return {@code true} if this permission covers all of {@code other}
   */
  public boolean implies(Permission other) {
    Objects.requireNonNull(other, "other");
    return (resource.equals(ANY) || resource.equals(other.resource))
        && (action.equals(ANY) || action.equals(other.action));
  }

  /** @return {@code resource:action} */
  @Override
  public String toString() {
    return resource + ":" + action;
  }

  private static void requirePart(String part, String name) {
    if (part.equals(ANY)) {
      return;
    }
    boolean valid = !part.isEmpty() && part.length() <= MAX_PART && part.charAt(0) >= 'a' && part.charAt(0) <= 'z';
    for (int i = 1; valid && i < part.length(); i++) {
      char c = part.charAt(i);
      valid = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    }
    if (!valid) {
      throw new IllegalArgumentException("Invalid permission " + name + " '" + shorten(part) + "': 1 to " + MAX_PART
          + " lower-case letters, digits, '_', '-' or '.', starting with a letter, or '*'");
    }
  }

  private static String shorten(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }
}
