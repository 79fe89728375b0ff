package dev.tenancy.core;

import java.util.Objects;

/** Thrown when a tenant named by id or slug does not exist. */
public final class TenantNotFoundException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final String reference;

  /**
   * Creates the exception.
   *
   * @param reference the id or slug that was looked up
   */
  public TenantNotFoundException(String reference) {
    super("No tenant '" + reference + "'; check the id or slug, or list tenants to find it");
    this.reference = Objects.requireNonNull(reference, "reference");
  }

  /**
   * The id or slug that matched no tenant.
   *
   * @return the reference as given
   */
  public String reference() {
    return reference;
  }
}
