package dev.tenancy.core.lifecycle;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One item of a {@link TenantService#bulk bulk} call. Use the factory that fits the operation: {@link #create} for
 * {@link BulkOperation#CREATE}, {@link #update} for {@link BulkOperation#UPDATE}, {@link #tenant(String)} for
 * {@link BulkOperation#SUSPEND} and {@link BulkOperation#ACTIVATE}, {@link #delete} for {@link BulkOperation#DELETE}.
 * An item that lacks what its operation needs fails on its own with {@code validation-failed}.
 *
 * <pre>{@code
 * tenants.bulk(BulkOperation.SUSPEND, List.of(BulkItem.tenant("acme"), BulkItem.tenant("globex")));
 * }</pre>
 *
 * @param newTenant the tenant to create, for {@code CREATE}; otherwise {@code null}
 * @param tenant the id or slug of an existing tenant, for every other operation; otherwise {@code null}
 * @param update the change, for {@code UPDATE}; otherwise {@code null}
 * @param purge for {@code DELETE}: purge now instead of cancelling
 */
public record BulkItem(
    @Nullable NewTenant newTenant, @Nullable String tenant, @Nullable TenantUpdate update, boolean purge) {

  /**
   * An item for {@link BulkOperation#CREATE}.
   *
   * @param request the tenant to create
   * @return the item
   */
  public static BulkItem create(NewTenant request) {
    return new BulkItem(Objects.requireNonNull(request, "request"), null, null, false);
  }

  /**
   * An item for {@link BulkOperation#UPDATE}.
   *
   * @param idOrSlug the tenant's id or slug
   * @param change the change
   * @return the item
   */
  public static BulkItem update(String idOrSlug, TenantUpdate change) {
    return new BulkItem(null, Objects.requireNonNull(idOrSlug, "idOrSlug"), Objects.requireNonNull(change, "change"),
        false);
  }

  /**
   * An item for {@link BulkOperation#SUSPEND} or {@link BulkOperation#ACTIVATE}.
   *
   * @param idOrSlug the tenant's id or slug
   * @return the item
   */
  public static BulkItem tenant(String idOrSlug) {
    return new BulkItem(null, Objects.requireNonNull(idOrSlug, "idOrSlug"), null, false);
  }

  /**
   * An item for {@link BulkOperation#DELETE}.
   *
   * @param idOrSlug the tenant's id or slug
   * @param purgeNow {@code true} to purge now, {@code false} to cancel
   * @return the item
   */
  public static BulkItem delete(String idOrSlug, boolean purgeNow) {
    return new BulkItem(null, Objects.requireNonNull(idOrSlug, "idOrSlug"), null, purgeNow);
  }
}
