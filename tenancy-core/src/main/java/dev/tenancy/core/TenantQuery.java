package dev.tenancy.core;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A page of tenants to list, optionally filtered.
 *
 * @param status only tenants in this status, or {@code null} for all
 * @param tier only tenants on this tier, or {@code null} for all
 * @param text only tenants whose slug or display name contains this text (case-insensitive), or {@code null}
 * @param page the zero-based page number
 * @param size the page size, 1 to {@value #MAX_SIZE}
 */
public record TenantQuery(@Nullable TenantStatus status, @Nullable String tier, @Nullable String text, int page, int size) {

  /** The largest page size. */
  public static final int MAX_SIZE = 500;

  /** The page size when none is given. */
  public static final int DEFAULT_SIZE = 50;

  /**
   * Validates paging and normalises the text filter.
   *
   * @throws TenantValidationException if page or size is out of range
   */
  public TenantQuery {
    if (page < 0) {
      throw new TenantValidationException("page", "page must be zero or positive, was " + page);
    }
    if (size < 1 || size > MAX_SIZE) {
      throw new TenantValidationException("size", "size must be between 1 and " + MAX_SIZE + ", was " + size);
    }
    text = text == null || text.isBlank() ? null : text.strip().toLowerCase(Locale.ROOT);
    tier = tier == null || tier.isBlank() ? null : tier.strip();
  }

  /** @return the first page of every tenant, {@value #DEFAULT_SIZE} per page */
  public static TenantQuery all() {
    return new TenantQuery(null, null, null, 0, DEFAULT_SIZE);
  }

  /**
   * @param pageNumber a zero-based page number
   * @return this query for another page
   */
  public TenantQuery withPage(int pageNumber) {
    return new TenantQuery(status, tier, text, pageNumber, size);
  }

  /**
   * Tells whether a tenant passes the filters (paging aside); stores may use it, or translate the filters to SQL.
   *
   * @param tenant a tenant
   * @return {@code true} if it matches status, tier and text
   */
  public boolean matches(Tenant tenant) {
    if (status != null && tenant.status() != status) {
      return false;
    }
    if (tier != null && !tenant.tier().equals(tier)) {
      return false;
    }
    return text == null || tenant.slug().value().contains(text)
        || tenant.displayName().toLowerCase(Locale.ROOT).contains(text);
  }
}
