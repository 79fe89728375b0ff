package dev.tenancy.jdbc.migration;

import dev.tenancy.core.data.TenantMigrationStatus;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns a failure into the error text a status record keeps: the messages of the exception and its causes, with
 * passwords and URL credentials removed — the text is shown in the admin API to people who must not learn them.
 */
final class ErrorText {

  /** {@code password=…}, {@code pwd: …} and the like, in URLs, properties and driver messages. */
  private static final Pattern KEY_VALUE = Pattern.compile(
      "(?i)\\b(password|passwd|pwd|secret|token|sslpassword|sslkey)(\\s*[=:]\\s*)[^&;,\\s)'\"]+");
  /** {@code scheme://user:password@host} */
  private static final Pattern USER_INFO = Pattern.compile("(//)[^/@\\s]+@");
  /** Secrets shorter than this are not searched for literally: removing every "ab" would garble the message. */
  private static final int SHORTEST_LITERAL = 4;

  private ErrorText() {
  }

  /**
   * @param failure what went wrong
   * @param secrets values that must not appear (e.g. the configured password); {@code null}s are skipped
   * @return the redacted text, at most {@link TenantMigrationStatus#MAX_ERROR_LENGTH} characters
   */
  static String of(Throwable failure, Collection<@Nullable String> secrets) {
    StringBuilder text = new StringBuilder();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    String previous = "";
    for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().strip();
      // Flyway and drivers repeat the cause's message in their own; keep each text once.
      if (message.isEmpty() ? t != failure : previous.contains(message)) {
        continue;
      }
      if (text.length() > 0) {
        text.append("\nCaused by: ");
      }
      text.append(t.getClass().getSimpleName());
      if (!message.isEmpty()) {
        text.append(": ").append(message);
      }
      previous = message;
      if (text.length() > TenantMigrationStatus.MAX_ERROR_LENGTH * 2) {
        break;
      }
    }
    return redact(text.toString(), secrets);
  }

  /**
   * @param text any text
   * @param secrets values that must not appear
   * @return the text without them, without {@code password=…} values and without URL user info, shortened to fit
   */
  static String redact(String text, Collection<@Nullable String> secrets) {
    String redacted = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= SHORTEST_LITERAL) {
        redacted = redacted.replace(secret, "***");
      }
    }
    redacted = KEY_VALUE.matcher(redacted).replaceAll("$1$2***");
    redacted = USER_INFO.matcher(redacted).replaceAll("$1***@");
    if (redacted.length() > TenantMigrationStatus.MAX_ERROR_LENGTH) {
      redacted = redacted.substring(0, TenantMigrationStatus.MAX_ERROR_LENGTH - 1) + "…";
    }
    return redacted;
  }
}
