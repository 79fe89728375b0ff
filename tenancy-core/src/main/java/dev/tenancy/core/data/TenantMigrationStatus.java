package dev.tenancy.core.data;

import dev.tenancy.core.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The recorded migration state of one target: a tenant's own schema or database, or a schema that tenants share
 * (row-level security), which is migrated — and recorded — once for all of them.
 *
 * @param target the key: the tenant id's canonical text, or {@value #SHARED_PREFIX} followed by the shared schema's
 *     name
 * @param tenant the tenant, or {@code null} for a shared schema
 * @param location where the migrations ran, for people: the schema or database name (never a URL or credentials)
 * @param state where the migration stands
 * @param versionBefore the applied schema version when the last attempt started, or {@code null} if none was applied
 * @param versionAfter the applied schema version when the last attempt ended (for a failure: what was applied before
 *     the failing migration), or {@code null}
 * @param error why the last attempt failed, or {@code null}; at most {@value #MAX_ERROR_LENGTH} characters and never
 *     a password or a URL with credentials
 * @param attempts attempts since the target was last {@link MigrationState#DONE}, the running one included
 * @param runId the run that holds or last held the target, or {@code null}
 * @param startedAt when the last attempt started, or {@code null}
 * @param finishedAt when the last attempt ended, or {@code null} while running or never attempted
 * @param leaseUntil while {@link MigrationState#RUNNING}: until when the run's claim holds unless renewed; after that
 *     another run may take the target over (its runner is presumed dead)
 * @param updatedAt when the record was last written
 * @param revision incremented on every write; stores replace a record only if the revision is unchanged
 */
public record TenantMigrationStatus(
    String target,
    @Nullable TenantId tenant,
    String location,
    MigrationState state,
    @Nullable String versionBefore,
    @Nullable String versionAfter,
    @Nullable String error,
    int attempts,
    @Nullable String runId,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable Instant leaseUntil,
    Instant updatedAt,
    long revision) {

  /** The prefix of a shared schema's target key. */
  public static final String SHARED_PREFIX = "shared:";
  /** The longest error message kept; longer ones are cut. */
  public static final int MAX_ERROR_LENGTH = 4000;
  /** The longest target key and location. */
  public static final int MAX_NAME_LENGTH = 128;

  /**
   * Checks the record and cuts an overlong error.
   *
   * @throws IllegalArgumentException if the target does not match the tenant, a name is blank, too long or holds
   *     control characters, a count is negative, or a running record lacks its run id or lease
   */
  public TenantMigrationStatus {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(updatedAt, "updatedAt");
    checkName("target", target);
    checkName("location", location);
    if (tenant != null ? !target.equals(tenant.toString())
        : !target.startsWith(SHARED_PREFIX) || target.length() == SHARED_PREFIX.length()) {
      throw new IllegalArgumentException("target must be the tenant id, or '" + SHARED_PREFIX + "<schema>' for a"
          + " shared schema; was '" + target + "' for tenant " + tenant);
    }
    if (attempts < 0 || revision < 0) {
      throw new IllegalArgumentException("attempts and revision must not be negative; were " + attempts + " and "
          + revision);
    }
    if (state == MigrationState.RUNNING && (runId == null || leaseUntil == null)) {
      throw new IllegalArgumentException("A RUNNING record needs the run id and the lease that hold it");
    }
    if (error != null && error.length() > MAX_ERROR_LENGTH) {
      error = error.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }
  }

  /**
   * A tenant's first record.
   *
   * @param tenant the tenant
   * @param location its schema or database name
   * @param now the time
   * @return a {@link MigrationState#PENDING} record with no attempts, revision 0
   */
  public static TenantMigrationStatus pending(TenantId tenant, String location, Instant now) {
    Objects.requireNonNull(tenant, "tenant");
    return new TenantMigrationStatus(tenant.toString(), tenant, location, MigrationState.PENDING, null, null, null, 0,
        null, null, null, null, now, 0L);
  }

  /**
   * A shared schema's first record.
   *
   * @param location the shared schema (and the key's suffix)
   * @param now the time
   * @return a {@link MigrationState#PENDING} record with no attempts, revision 0
   */
  public static TenantMigrationStatus pendingShared(String location, Instant now) {
    return new TenantMigrationStatus(SHARED_PREFIX + location, null, location, MigrationState.PENDING, null, null,
        null, 0, null, null, null, null, now, 0L);
  }

  /** @return {@code true} for a schema that tenants share */
  public boolean shared() {
    return tenant == null;
  }

  /** @return the tenant, or empty for a shared schema */
  public Optional<TenantId> findTenant() {
    return Optional.ofNullable(tenant);
  }

  /**
   * Tells whether a run holds the target at a moment.
   *
   * @param now the moment
   * @return {@code true} if the record is {@link MigrationState#RUNNING} and its lease has not run out
   */
  public boolean heldAt(Instant now) {
    return state == MigrationState.RUNNING && leaseUntil != null && now.isBefore(leaseUntil);
  }

  private static void checkName(String field, String value) {
    if (value.isBlank() || value.length() > MAX_NAME_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(field + " must have 1 to " + MAX_NAME_LENGTH + " characters and no control"
          + " characters; was '" + value + "'");
    }
  }
}
