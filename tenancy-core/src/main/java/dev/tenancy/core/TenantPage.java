package dev.tenancy.core;

import java.util.List;

/**
 * One page of a tenant listing, ordered by slug.
 *
 * @param items the tenants on this page
 * @param page the zero-based page number
 * @param size the requested page size
 * @param total how many tenants match the filters across all pages
 */
public record TenantPage(List<Tenant> items, int page, int size, long total) {

  /** Copies the items. */
  public TenantPage {
    items = List.copyOf(items);
  }

  /** @return {@code true} if pages after this one hold more tenants */
  public boolean hasNext() {
    return (long) (page + 1) * size < total;
  }
}
