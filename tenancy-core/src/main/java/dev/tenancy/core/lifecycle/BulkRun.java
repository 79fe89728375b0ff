package dev.tenancy.core.lifecycle;

import dev.tenancy.core.TenancyException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConflictException;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantValidationException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link TenantService#bulk} call: each item through the service's own single-item operation, its failure turned
 * into a result so that it never stops or undoes the others. An {@link Error} is a crash and still propagates.
 */
final class BulkRun {

  private static final Logger LOG = LoggerFactory.getLogger(TenantService.class);

  private final TenantService service;
  private final BulkOperation operation;

  BulkRun(TenantService service, BulkOperation operation) {
    this.service = service;
    this.operation = operation;
  }

  List<BulkItemResult> apply(List<BulkItem> items) {
    List<BulkItemResult> results = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      results.add(apply(i, items.get(i)));
    }
    return List.copyOf(results);
  }

  private BulkItemResult apply(int index, @Nullable BulkItem item) {
    try {
      if (item == null) {
        throw new TenantValidationException("items[" + index + "]", "The item is missing");
      }
      return BulkItemResult.success(index, applyTo(item));
    } catch (TenantValidationException e) {
      return BulkItemResult.failure(index, BulkItemResult.VALIDATION_FAILED, e.field() + ": " + e.getMessage());
    } catch (TenantNotFoundException e) {
      return BulkItemResult.failure(index, BulkItemResult.NOT_FOUND, e.getMessage());
    } catch (TenantConflictException e) {
      return BulkItemResult.failure(index, BulkItemResult.CONFLICT, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("Bulk {} item {} failed", operation, index, e);
      // Our own exceptions have messages written for callers; anything else may carry internals.
      return BulkItemResult.failure(index, BulkItemResult.INTERNAL, e instanceof TenancyException
          ? e.getMessage() : "The item failed inside the service; the server log has the details");
    }
  }

  private Tenant applyTo(BulkItem item) {
    switch (operation) {
      case CREATE:
        return service.create(part(item.newTenant(), "newTenant"));
      case UPDATE:
        return service.update(target(item).id(), part(item.update(), "update"));
      case SUSPEND:
        return service.suspend(target(item).id());
      case ACTIVATE:
        return service.activate(target(item).id());
      case DELETE:
        return service.delete(target(item).id(), item.purge());
      default:
        throw new IllegalStateException("Unknown bulk operation " + operation);
    }
  }

  private Tenant target(BulkItem item) {
    return service.require(part(item.tenant(), "tenant"));
  }

  private <T> T part(@Nullable T value, String field) {
    if (value == null) {
      throw new TenantValidationException(field, operation + " needs '" + field
          + "' in every item; build items with the BulkItem factory for " + operation);
    }
    return value;
  }
}
