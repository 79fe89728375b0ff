package dev.tenancy.jdbc.verify;

import java.util.Objects;

/**
 * One isolation problem found by {@link IsolationVerifier}.
 *
 * @param type what kind of problem it is
 * @param object the database object concerned, e.g. {@code public.leads}, {@code role app} or
 *     {@code policy leads_all on public.leads}
 * @param message what is wrong and how to fix it, usually with the SQL to run
 */
public record Finding(FindingType type, String object, String message) {

  /**
   * Validates the finding.
   *
   * @param type what kind of problem it is
   * @param object the database object concerned
   * @param message what is wrong and how to fix it
   * @throws IllegalArgumentException if the object or the message is blank
   */
  public Finding {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(message, "message");
    if (object.isBlank() || message.isBlank()) {
      throw new IllegalArgumentException("A finding names its object and says how to fix it");
    }
  }

  /** @return {@code TYPE object: message}, one line */
  @Override
  public String toString() {
    return type + " " + object + ": " + message;
  }
}
