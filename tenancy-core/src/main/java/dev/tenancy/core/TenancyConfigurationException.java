package dev.tenancy.core;

/**
 * Thrown when Tenancy's own configuration is unusable: an environment override that does not parse, a tier that
 * references an unknown limit, a builder given contradictory options.
 */
public final class TenancyConfigurationException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is misconfigured and how to correct it
   */
  public TenancyConfigurationException(String message) {
    super(message);
  }
}
