package dev.tenancy.core;

import java.util.Objects;

/**
 * Thrown when a value given for a tenant (a slug, an id, a tier, a limit...) breaks a rule.
 *
 * <p>The message states the rule, so it can be shown to whoever supplied the value; {@link #field()} names the input.
 */
public final class TenantValidationException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * Creates the exception.
   *
   * @param field the name of the offending input, e.g. {@code slug}
   * @param message the rule that was broken, phrased so the caller can fix the input
   */
  public TenantValidationException(String field, String message) {
    super(message);
    this.field = Objects.requireNonNull(field, "field");
  }

  /**
   * The name of the offending input.
   *
   * @return the field name, e.g. {@code slug} or {@code limits.apiCallsPerMonth}
   */
  public String field() {
    return field;
  }
}
