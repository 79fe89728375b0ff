package dev.tenancy.spring;

import dev.tenancy.core.TenancyException;
import java.util.Objects;

/**
 * Start-up fails with this when a {@code tenancy.*} property is missing or unusable. It names the property and what
 * to set; Spring Boot's failure analysis prints both as the "Description" and "Action" of the start-up report. The
 * message never contains the property's value, which may be a secret.
 */
public final class TenancyPropertyException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final String property;
  private final String problem;
  private final String action;

  /**
   * @param property the property at fault, e.g. {@code tenancy.tokens.secret}
   * @param problem what is wrong, without the value
   * @param action what to set to fix it
   */
  public TenancyPropertyException(String property, String problem, String action) {
    super(Objects.requireNonNull(problem, "problem") + " " + Objects.requireNonNull(action, "action"));
    this.property = Objects.requireNonNull(property, "property");
    this.problem = problem;
    this.action = action;
  }

  /**
   * @param property the property at fault
   * @param problem what is wrong, without the value
   * @param action what to set to fix it
   * @param cause the underlying failure, e.g. a parse error
   */
  public TenancyPropertyException(String property, String problem, String action, Throwable cause) {
    super(Objects.requireNonNull(problem, "problem") + " " + Objects.requireNonNull(action, "action"), cause);
    this.property = Objects.requireNonNull(property, "property");
    this.problem = problem;
    this.action = action;
  }

  /** @return the property at fault */
  public String property() {
    return property;
  }

  /** @return what is wrong */
  public String problem() {
    return problem;
  }

  /** @return what to set to fix it */
  public String action() {
    return action;
  }
}
