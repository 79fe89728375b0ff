package dev.tenancy.core.lifecycle;

import dev.tenancy.core.Tenant;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one item of a {@link TenantService#bulk bulk} call.
 *
 * @param index the item's position in the request, from 0
 * @param succeeded whether the operation was applied
 * @param tenant the tenant after the operation, or {@code null} if it failed or the tenant no longer exists
 * @param error for a failure, one of {@link #VALIDATION_FAILED}, {@link #CONFLICT}, {@link #NOT_FOUND},
 *     {@link #INTERNAL}; otherwise {@code null}
 * @param message for a failure, what went wrong and how to fix it; otherwise {@code null}
 */
public record BulkItemResult(
    int index, boolean succeeded, @Nullable Tenant tenant, @Nullable String error, @Nullable String message) {

  /** The item broke a rule (its message names the field). */
  public static final String VALIDATION_FAILED = "validation-failed";
  /** The item conflicts with the stored state: slug taken, stale version, status change not allowed. */
  public static final String CONFLICT = "conflict";
  /** The item names no existing tenant. */
  public static final String NOT_FOUND = "not-found";
  /** Something failed inside the service (a provisioning step, the store); see the server log. */
  public static final String INTERNAL = "internal";

  private static final Set<String> ERRORS = Set.of(VALIDATION_FAILED, CONFLICT, NOT_FOUND, INTERNAL);

  /**
   * Checks that a failure carries a known error code and a success carries none.
   *
   * @throws IllegalArgumentException if they do not fit together
   */
  public BulkItemResult {
    if (index < 0) {
      throw new IllegalArgumentException("index must be zero or positive, was " + index);
    }
    if (succeeded && (error != null || message != null)) {
      throw new IllegalArgumentException("A successful item carries no error");
    }
    if (!succeeded && (error == null || !ERRORS.contains(error) || message == null)) {
      throw new IllegalArgumentException("A failed item needs an error code out of " + ERRORS + " and a message");
    }
  }

  /**
   * A success.
   *
   * @param index the item's position
   * @param tenant the tenant after the operation, or {@code null} if it no longer exists
   * @return the result
   */
  public static BulkItemResult success(int index, @Nullable Tenant tenant) {
    return new BulkItemResult(index, true, tenant, null, null);
  }

  /**
   * A failure.
   *
   * @param index the item's position
   * @param error the error code
   * @param message what went wrong
   * @return the result
   */
  public static BulkItemResult failure(int index, String error, String message) {
    return new BulkItemResult(index, false, null, Objects.requireNonNull(error, "error"),
        Objects.requireNonNull(message, "message"));
  }
}
