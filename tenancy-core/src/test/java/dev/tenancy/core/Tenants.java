package dev.tenancy.core;

/** Test fixtures: tenants for context tests. */
final class Tenants {

  private Tenants() {
  }

  static TenantInfo tenant(String slug) {
    return TenantInfo.of(TenantId.random(), TenantSlug.of(slug));
  }

  static String currentSlug() {
    return TenantContext.current().map(t -> t.slug().value()).orElse("<none>");
  }
}
