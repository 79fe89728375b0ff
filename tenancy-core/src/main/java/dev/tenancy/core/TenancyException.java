package dev.tenancy.core;

/**
 * Root of every exception Tenancy throws for a tenancy-related failure.
 *
 * <p>Subclasses carry the fields a caller needs to react (tenant, reason, resource) and a message that says what to fix.
 * Inside JDBC code these surface as the cause of an {@link java.sql.SQLException} so pools and ORMs translate them.
 */
public class TenancyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that says what went wrong and what to do about it.
   *
   * @param message what went wrong and how to fix it
   */
  public TenancyException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the underlying cause.
   *
   * @param message what went wrong and how to fix it
   * @param cause the underlying failure
   */
  public TenancyException(String message, Throwable cause) {
    super(message, cause);
  }
}
