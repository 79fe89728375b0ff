package dev.tenancy.core;

import java.util.Objects;

/** Thrown when a tenant is created with a slug another tenant already has. */
public final class SlugAlreadyTakenException extends TenantConflictException {
  private static final long serialVersionUID = 1L;

  private final TenantSlug slug;

  /**
   * Creates the exception.
   *
   * @param slug the slug that is taken
   */
  public SlugAlreadyTakenException(TenantSlug slug) {
    super("Slug '" + slug + "' is already taken by another tenant; choose a different slug");
    this.slug = Objects.requireNonNull(slug, "slug");
  }

  /**
   * The slug that is taken.
   *
   * @return the slug
   */
  public TenantSlug slug() {
    return slug;
  }
}
