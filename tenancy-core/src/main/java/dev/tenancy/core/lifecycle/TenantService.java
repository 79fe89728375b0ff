package dev.tenancy.core.lifecycle;

import dev.tenancy.core.ConcurrentTenantModificationException;
import dev.tenancy.core.IllegalTenantTransitionException;
import dev.tenancy.core.PlatformAccess;
import dev.tenancy.core.SlugAlreadyTakenException;
import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.TenancyException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantConflictException;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantPage;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.TenantValidationException;
import dev.tenancy.core.spi.ProvisioningRecord;
import dev.tenancy.core.spi.ProvisioningRecord.Operation;
import dev.tenancy.core.spi.ProvisioningRecord.State;
import dev.tenancy.core.spi.ProvisioningStep;
import dev.tenancy.core.spi.TenantLifecycleListener;
import dev.tenancy.core.spi.TenantStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, changes and removes tenants: provisioning with compensation, status changes through the transition table,
 * optimistic locking, cancellation with a retention period, purging, and bulk operations.
 *
 * <p>Creating a tenant inserts it as {@code PROVISIONING} with version 0, runs every {@link ProvisioningStep} inside
 * the new tenant's {@link TenantContext} scope and journals each one; when all succeed the tenant moves to its initial
 * status (version 1). A step that throws is compensated: it and every completed step are deprovisioned in reverse and
 * the record is removed, so nothing is left behind. A step that throws an {@link Error} is treated as a crash and
 * left for {@link #resumeProvisioning}. Every change is told to the {@link TenantLifecycleListener}s, carrying the
 * {@link TenantContext#platformAccess() platform access} it was made under.
 *
 * <pre>{@code
 * TenantService tenants = TenantService.builder()
 *     .store(store)
 *     .resolver(resolver)
 *     .step(schemaStep)
 *     .listener(event -> audit.record(event))
 *     .build();
 * Tenant acme = tenants.create(NewTenant.of("acme", "Acme Realty").withTier("pro"));
 * tenants.suspend(acme.id());
 * }</pre>
 */
public final class TenantService {

  /** The most items one {@link #bulk} call takes. */
  public static final int MAX_BULK_ITEMS = 1000;

  /** How long a cancelled tenant's data is kept before {@link #purgeDue()} purges it, unless configured. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  private static final Logger LOG = LoggerFactory.getLogger(TenantService.class);

  private final TenantStore store;
  private final TenantConfigurationResolver resolver;
  private final Clock clock;
  private final Duration retention;
  private final LifecycleEvents events;
  private final Provisioner provisioner;
  private final TenantChanges changes;

  private TenantService(Builder builder, List<ProvisioningStep> steps) {
    this.store = Objects.requireNonNull(builder.store, "store");
    this.resolver = Objects.requireNonNull(builder.resolver, "resolver");
    this.clock = builder.clock == null ? Clock.systemUTC() : builder.clock;
    this.retention = builder.retention == null ? DEFAULT_RETENTION : builder.retention;
    this.events = new LifecycleEvents(builder.listeners, clock);
    this.provisioner = new Provisioner(store, resolver, clock, steps, events);
    this.changes = new TenantChanges(store, resolver.catalog(), clock, retention, events);
  }

  /**
   * Starts a builder.
   *
   * @return a builder; {@code store} and {@code resolver} are required
   */
  public static Builder builder() {
    return new Builder();
  }

  /** How {@link #resumeProvisioning} ends an unfinished run. */
  public enum Resolution {
    /** Runs the steps not yet completed (provisioning) or continues removing (purge). */
    FINISH,
    /** Undoes the steps that ran and removes the tenant record; not possible for a purge. */
    ROLL_BACK
  }

  // ---------------------------------------------------------------- creating

  /**
   * Creates a tenant and provisions its resources.
   *
   * @param request the tenant to create
   * @return the stored tenant in its initial status ({@code TRIAL} unless the request says {@code ACTIVE})
   * @throws TenantValidationException naming the first field of the request that breaks its rule
   * @throws SlugAlreadyTakenException if another tenant (a deleted one included) has the slug
   * @throws ProvisioningFailedException if a step failed; {@link ProvisioningFailedException#rolledBack()} tells
   *     whether everything was undone
   */
  public Tenant create(NewTenant request) {
    Objects.requireNonNull(request, "request");
    PlatformAccess access = access();
    TenantStatus target = request.targetStatus();
    Tenant tenant = request.toProvisioningTenant(TenantId.random(), resolver.catalog(), clock.instant());
    resolver.resolve(tenant);
    // Journal before record: a crash in between leaves a journal without a tenant, which resume simply clears.
    provisioner.journal(tenant.id(), Operation.PROVISION, State.RUNNING, List.of(), null, target);
    try {
      store.insert(tenant);
    } catch (RuntimeException e) {
      store.removeProvisioningRecord(tenant.id());
      throw e;
    }
    return provisioner.runForward(tenant, List.of(), target, access);
  }

  /**
   * Finishes or rolls back a provisioning (or purge) run that did not end: a crash, or a compensation that failed.
   * Works on any instance over the same store, as long as it has the same steps. Finishing a provisioning moves the
   * tenant to the initial status its creator asked for, which the journal keeps. Call it only for runs whose
   * process is gone, e.g. from {@link #pendingProvisioning()} at start-up.
   *
   * @param id the tenant
   * @param resolution finish or roll back
   * @return the tenant after finishing, or empty if it was rolled back or no longer exists
   * @throws ProvisioningFailedException if a step fails again; the journal is then {@code FAILED}
   * @throws TenantConflictException if a purge is to be rolled back, or a finished provisioning
   * @throws TenancyConfigurationException if the journal names a step this service does not have
   */
  public Optional<Tenant> resumeProvisioning(TenantId id, Resolution resolution) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(resolution, "resolution");
    return provisioner.resume(id, resolution, access());
  }

  /** @return the journal of every unfinished provisioning or purge run */
  public List<ProvisioningRecord> pendingProvisioning() {
    return store.listProvisioningRecords();
  }

  // ---------------------------------------------------------------- reading

  /**
   * @param id a tenant id
   * @return the tenant (a {@code DELETED} tombstone included), or empty
   */
  public Optional<Tenant> find(TenantId id) {
    return store.findById(Objects.requireNonNull(id, "id"));
  }

  /**
   * @param slug a slug
   * @return the tenant (a {@code DELETED} tombstone included), or empty
   */
  public Optional<Tenant> findBySlug(TenantSlug slug) {
    return store.findBySlug(Objects.requireNonNull(slug, "slug"));
  }

  /**
   * Looks a tenant up by the text a caller gave: a canonical UUID is an id, anything else a slug. Malformed text is
   * reported exactly like a missing tenant, so lookups tell nothing about which tenants exist.
   *
   * @param idOrSlug an id or a slug
   * @return the tenant
   * @throws TenantNotFoundException if no tenant matches, or the text is neither an id nor a slug
   */
  public Tenant require(String idOrSlug) {
    Objects.requireNonNull(idOrSlug, "idOrSlug");
    Optional<Tenant> found = TenantId.isValid(idOrSlug) ? store.findById(TenantId.of(idOrSlug))
        : TenantSlug.isValid(idOrSlug) ? store.findBySlug(TenantSlug.of(idOrSlug)) : Optional.empty();
    return found.orElseThrow(() -> new TenantNotFoundException(
        idOrSlug.length() > 80 ? idOrSlug.substring(0, 80) + "..." : idOrSlug));
  }

  /**
   * @param query filters and paging
   * @return the matching tenants, ordered by slug
   */
  public TenantPage list(TenantQuery query) {
    return store.list(Objects.requireNonNull(query, "query"));
  }

  /**
   * Describes a tenant with its effective configuration, as a {@link TenantContext} scope carries it.
   *
   * @param tenant the tenant
   * @return the info
   * @throws TenantValidationException if the tenant's tier is no longer in the catalog
   */
  public TenantInfo info(Tenant tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return TenantInfo.of(tenant, resolver.resolve(tenant));
  }

  // ---------------------------------------------------------------- changing

  /**
   * Changes a tenant. With {@link TenantUpdate#expectedVersion()} the change applies to that version only; without,
   * it is re-read and re-applied a few times if another writer gets in between. Moving to {@code CANCELLED} starts
   * the retention period as {@link #delete delete(id, false)} does.
   *
   * @param id the tenant
   * @param update the change
   * @return the stored tenant (unchanged if the update changes nothing)
   * @throws TenantNotFoundException if no such tenant exists
   * @throws TenantValidationException naming the first field that breaks its rule, or a status of
   *     {@code PROVISIONING} or {@code DELETED} (use {@link #create} or {@link #delete})
   * @throws IllegalTenantTransitionException if the status change is not in the transition table
   * @throws ConcurrentTenantModificationException if the tenant is not at the expected version
   * @throws TenantConflictException if the tenant is still provisioning or already purged
   */
  public Tenant update(TenantId id, TenantUpdate update) {
    return update(id, update, false);
  }

  /**
   * Moves a tenant to another status; staying in the same status is not a transition and is refused.
   *
   * @param id the tenant
   * @param status the new status
   * @return the stored tenant
   * @throws IllegalTenantTransitionException if the transition table does not allow it
   * @throws TenantValidationException for {@code PROVISIONING} or {@code DELETED} (use {@link #create} or
   *     {@link #delete})
   * @throws TenantNotFoundException if no such tenant exists
   * @throws TenantConflictException if the tenant is still provisioning
   */
  public Tenant changeStatus(TenantId id, TenantStatus status) {
    Objects.requireNonNull(status, "status");
    return update(id, TenantUpdate.none().withStatus(status), true);
  }

  /**
   * Suspends a tenant: it is refused at the door, its data kept.
   *
   * @param id the tenant
   * @return the stored tenant
   * @throws IllegalTenantTransitionException if it is not {@code TRIAL} or {@code ACTIVE}
   * @throws TenantNotFoundException if no such tenant exists
   */
  public Tenant suspend(TenantId id) {
    return changeStatus(id, TenantStatus.SUSPENDED);
  }

  /**
   * Activates a tenant on trial or suspended.
   *
   * @param id the tenant
   * @return the stored tenant
   * @throws IllegalTenantTransitionException if it is not {@code TRIAL} or {@code SUSPENDED}
   * @throws TenantNotFoundException if no such tenant exists
   */
  public Tenant activate(TenantId id) {
    return changeStatus(id, TenantStatus.ACTIVE);
  }

  private Tenant update(TenantId id, TenantUpdate update, boolean strictStatus) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(update, "update");
    return changes.apply(id, update, strictStatus, access());
  }

  // ---------------------------------------------------------------- removing

  /**
   * Deletes a tenant. Without {@code purgeNow} it is cancelled: it stops serving and its data is kept until the
   * retention period ends ({@link #purgeDue()}). With {@code purgeNow} it is cancelled if need be, every step's
   * {@code deprovision} runs in reverse order inside the tenant's scope, and the record stays as a {@code DELETED}
   * tombstone whose slug remains taken. Deleting a {@code DELETED} tenant returns it unchanged; deleting a
   * {@code PROVISIONING} tenant rolls its provisioning back (the record is removed and the slug freed; the value
   * returned is the tenant as last stored).
   *
   * @param id the tenant
   * @param purgeNow {@code true} to erase its resources now
   * @return the tenant after the change
   * @throws TenantNotFoundException if no such tenant exists
   * @throws ProvisioningFailedException if a deprovisioning step fails; resume with {@link Resolution#FINISH}
   */
  public Tenant delete(TenantId id, boolean purgeNow) {
    Objects.requireNonNull(id, "id");
    PlatformAccess access = access();
    Tenant current = store.findById(id).orElseThrow(() -> new TenantNotFoundException(id.toString()));
    switch (current.status()) {
      case DELETED:
        return current;
      case PROVISIONING:
        provisioner.resume(id, Resolution.ROLL_BACK, access);
        return current;
      case CANCELLED:
        break;
      default:
        current = update(id, TenantUpdate.none().withStatus(TenantStatus.CANCELLED), true);
        break;
    }
    if (!purgeNow) {
      return current;
    }
    List<String> done = store.findProvisioningRecord(id)
        .filter(journal -> journal.operation() == Operation.DEPROVISION)
        .map(ProvisioningRecord::completedSteps)
        .orElse(List.of());
    return provisioner.purge(current, done, access);
  }

  /**
   * Purges every cancelled tenant whose retention period has ended ({@code purgeAfter} at or before now). A tenant
   * whose purge fails is logged and left with a {@code FAILED} journal; the others are purged regardless.
   *
   * @return how many tenants were purged
   */
  public int purgeDue() {
    Instant now = clock.instant();
    List<TenantId> due = new ArrayList<>();
    TenantQuery query = new TenantQuery(TenantStatus.CANCELLED, null, null, 0, TenantQuery.MAX_SIZE);
    TenantPage page;
    do {
      page = store.list(query);
      page.items().stream()
          .filter(tenant -> tenant.purgeAfter() != null && !tenant.purgeAfter().isAfter(now))
          .forEach(tenant -> due.add(tenant.id()));
      query = query.withPage(query.page() + 1);
    } while (page.hasNext());

    int purged = 0;
    for (TenantId id : due) {
      try {
        delete(id, true);
        purged++;
      } catch (TenancyException e) {
        LOG.warn("Purging tenant {} failed; it stays CANCELLED and is retried on the next run: {}", id,
            e.getMessage(), e);
      }
    }
    return purged;
  }

  // ---------------------------------------------------------------- bulk

  /**
   * Applies one operation to many tenants. Every item is applied on its own: one that fails never fails or undoes
   * the others, and gets a result with an error code and a message instead.
   *
   * @param operation what to do
   * @param items the items, at most {@value #MAX_BULK_ITEMS}
   * @return one result per item, in order
   * @throws TenantValidationException (field {@code items}) if there are too many items
   */
  public List<BulkItemResult> bulk(BulkOperation operation, List<BulkItem> items) {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(items, "items");
    if (items.size() > MAX_BULK_ITEMS) {
      throw new TenantValidationException("items", "A bulk request holds at most " + MAX_BULK_ITEMS
          + " items, this one has " + items.size() + "; split it into several requests");
    }
    return new BulkRun(this, operation).apply(items);
  }

  private static @Nullable PlatformAccess access() {
    return TenantContext.platformAccess().orElse(null);
  }

  // ---------------------------------------------------------------- builder

  /** Configures a {@link TenantService}; each single-valued option is set at most once. */
  public static final class Builder {
    private @Nullable TenantStore store;
    private @Nullable TenantConfigurationResolver resolver;
    private @Nullable Clock clock;
    private @Nullable Duration retention;
    private final List<ProvisioningStep> steps = new ArrayList<>();
    private final List<TenantLifecycleListener> listeners = new ArrayList<>();

    private Builder() {
    }

    /**
     * @param tenantStore where tenants and the provisioning journal live; required
     * @return this builder
     */
    public Builder store(TenantStore tenantStore) {
      requireUnset(store, "store");
      this.store = Objects.requireNonNull(tenantStore, "tenantStore");
      return this;
    }

    /**
     * @param configurationResolver the tier catalog and environment layer; required
     * @return this builder
     */
    public Builder resolver(TenantConfigurationResolver configurationResolver) {
      requireUnset(resolver, "resolver");
      this.resolver = Objects.requireNonNull(configurationResolver, "configurationResolver");
      return this;
    }

    /**
     * @param time the clock for time stamps and retention; {@link Clock#systemUTC()} if not set
     * @return this builder
     */
    public Builder clock(Clock time) {
      requireUnset(clock, "clock");
      this.clock = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * Adds a provisioning step; steps run in the order added and are undone in reverse.
     *
     * @param step the step, with a name no other step has
     * @return this builder
     */
    public Builder step(ProvisioningStep step) {
      steps.add(Objects.requireNonNull(step, "step"));
      return this;
    }

    /**
     * Adds a listener; listeners hear events in the order added.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(TenantLifecycleListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @param period how long a cancelled tenant's data is kept; {@link #DEFAULT_RETENTION} if not set
     * @return this builder
     */
    public Builder retention(Duration period) {
      requireUnset(retention, "retention");
      this.retention = Objects.requireNonNull(period, "period");
      return this;
    }

    /**
     * Checks the options and builds the service.
     *
     * @return the service
     * @throws TenancyConfigurationException if the store or resolver is missing, two steps share a name, or the
     *     retention is negative
     */
    public TenantService build() {
      if (store == null) {
        throw new TenancyConfigurationException("TenantService needs a store: call .store(...), for example with "
            + "new InMemoryTenantStore() or a JDBC store");
      }
      if (resolver == null) {
        throw new TenancyConfigurationException("TenantService needs a resolver: call .resolver("
            + "TenantConfigurationResolver.of(catalog, environmentOverrides))");
      }
      if (retention != null && retention.isNegative()) {
        throw new TenancyConfigurationException("The retention period must be zero or positive, was " + retention);
      }
      Set<String> names = new HashSet<>();
      for (ProvisioningStep step : steps) {
        String name = step.name();
        if (name == null || name.isBlank() || !names.add(name)) {
          throw new TenancyConfigurationException("Every provisioning step needs a unique, non-blank name; '"
              + name + "' is blank or used twice. The journal records steps by name");
        }
      }
      return new TenantService(this, List.copyOf(steps));
    }

    private static void requireUnset(@Nullable Object current, String option) {
      if (current != null) {
        throw new IllegalStateException(option + " was already set to " + current);
      }
    }
  }
}
