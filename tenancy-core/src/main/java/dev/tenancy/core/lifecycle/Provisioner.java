package dev.tenancy.core.lifecycle;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.PlatformAccess;
import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantConflictException;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.TenantValidationException;
import dev.tenancy.core.spi.ProvisioningRecord;
import dev.tenancy.core.spi.ProvisioningRecord.Operation;
import dev.tenancy.core.spi.ProvisioningRecord.State;
import dev.tenancy.core.spi.ProvisioningStep;
import dev.tenancy.core.spi.TenantEvent;
import dev.tenancy.core.spi.TenantStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs provisioning steps forward, undoes them, purges, and resumes runs cut short — journaling after every step so
 * that any {@link TenantService} over the same store can pick a run up.
 *
 * <p>A step that throws an {@link Exception} is a failure handled here; a step that throws an {@link Error} is treated
 * as a crash: nothing more runs in this process and the journal stays as it was for {@code resumeProvisioning}.
 */
final class Provisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TenantService.class);

  private final TenantStore store;
  private final TenantConfigurationResolver resolver;
  private final Clock clock;
  private final Map<String, ProvisioningStep> steps;
  private final LifecycleEvents events;

  Provisioner(TenantStore store, TenantConfigurationResolver resolver, Clock clock, List<ProvisioningStep> steps,
      LifecycleEvents events) {
    this.store = store;
    this.resolver = resolver;
    this.clock = clock;
    Map<String, ProvisioningStep> byName = new LinkedHashMap<>();
    steps.forEach(step -> byName.put(step.name(), step));
    this.steps = Collections.unmodifiableMap(byName);
    this.events = events;
  }

  /** Runs every step not yet done (as the {@code RUNNING} journal says), then moves the tenant to {@code target}. */
  Tenant runForward(Tenant tenant, List<String> alreadyDone, TenantStatus target, @Nullable PlatformAccess access) {
    TenantInfo info = TenantInfo.of(tenant, resolver.resolve(tenant));
    List<String> done = new ArrayList<>(alreadyDone);
    for (ProvisioningStep step : steps.values()) {
      if (done.contains(step.name())) {
        continue;
      }
      try {
        runStep(info, tenant, step, true);
      } catch (Exception e) {
        events.publish(TenantEvent.Type.PROVISIONING_FAILED, tenant, null, step.name() + ": " + describe(e), access);
        rollBack(tenant, done, step, e, access);
        throw ProvisioningFailedException.rolledBack(tenant.id(), tenant.slug(), step.name(), e);
      }
      done.add(step.name());
      journal(tenant.id(), Operation.PROVISION, State.RUNNING, done, null, target);
      events.publish(TenantEvent.Type.PROVISIONING_STEP_COMPLETED, tenant, null, step.name(), access);
    }
    Tenant serving = store.update(tenant.withStatus(target, clock.instant()));
    store.removeProvisioningRecord(tenant.id());
    events.publish(TenantEvent.Type.CREATED, serving, null, null, access);
    return serving;
  }

  /**
   * Undoes a provisioning: {@code failed} first (it may have half-run), then the completed steps in reverse, then
   * removes the tenant record and the journal.
   *
   * @throws ProvisioningFailedException if undoing a step fails; the journal is then {@code FAILED}
   */
  void rollBack(Tenant tenant, List<String> completed, @Nullable ProvisioningStep failed,
      @Nullable Exception cause, @Nullable PlatformAccess access) {
    // Keep the status the run was heading for, so a FINISH after a stuck compensation still ends where it should.
    TenantStatus target = store.findProvisioningRecord(tenant.id()).map(ProvisioningRecord::targetStatus).orElse(null);
    journal(tenant.id(), Operation.PROVISION, State.COMPENSATING, completed, cause == null ? null : describe(cause),
        target);
    List<ProvisioningStep> undo = new ArrayList<>();
    if (failed != null) {
      undo.add(failed);
    }
    List<String> reversed = new ArrayList<>(completed);
    Collections.reverse(reversed);
    reversed.forEach(name -> undo.add(steps.get(name)));

    TenantInfo info = scopeFor(tenant);
    for (ProvisioningStep step : undo) {
      try {
        runStep(info, tenant, step, false);
      } catch (Exception e) {
        journal(tenant.id(), Operation.PROVISION, State.FAILED, completed,
            "undoing step '" + step.name() + "' failed: " + describe(e), target);
        restoreInterrupt(e);
        if (cause == null) {
          throw ProvisioningFailedException.rollBackStuck(tenant.id(), tenant.slug(), step.name(), e);
        }
        ProvisioningFailedException stuck = ProvisioningFailedException.stuck(tenant.id(), tenant.slug(),
            failed == null ? step.name() : failed.name(), step.name(), cause);
        stuck.addSuppressed(e);
        throw stuck;
      }
    }
    // Record first, journal second: a crash in between leaves a journal without a tenant, which resume just clears.
    store.remove(tenant.id());
    store.removeProvisioningRecord(tenant.id());
    if (cause != null) {
      restoreInterrupt(cause);
    }
    LOG.info("Provisioning of tenant {} ({}) was rolled back", tenant.slug(), tenant.id());
    events.publish(TenantEvent.Type.PROVISIONING_ROLLED_BACK, tenant, null, failed == null ? null : failed.name(),
        access);
  }

  /** Deprovisions every step not yet in a {@code DEPROVISION} journal, in reverse order, then leaves a tombstone. */
  Tenant purge(Tenant cancelled, List<String> alreadyDone, @Nullable PlatformAccess access) {
    TenantInfo info = scopeFor(cancelled);
    List<String> done = new ArrayList<>(alreadyDone);
    journal(cancelled.id(), Operation.DEPROVISION, State.RUNNING, done, null, null);
    List<ProvisioningStep> reversed = new ArrayList<>(steps.values());
    Collections.reverse(reversed);
    for (ProvisioningStep step : reversed) {
      if (done.contains(step.name())) {
        continue;
      }
      try {
        runStep(info, cancelled, step, false);
      } catch (Exception e) {
        journal(cancelled.id(), Operation.DEPROVISION, State.FAILED, done,
            "step '" + step.name() + "' failed: " + describe(e), null);
        restoreInterrupt(e);
        throw ProvisioningFailedException.purgeStuck(cancelled.id(), cancelled.slug(), step.name(), e);
      }
      done.add(step.name());
      journal(cancelled.id(), Operation.DEPROVISION, State.RUNNING, done, null, null);
    }
    Instant now = clock.instant();
    Tenant deleted = store.update(cancelled.withStatus(TenantStatus.DELETED, now).withPurgeAfter(null, now));
    store.removeProvisioningRecord(cancelled.id());
    LOG.info("Tenant {} ({}) was purged; its record stays as a DELETED tombstone", deleted.slug(), deleted.id());
    events.publish(TenantEvent.Type.PURGED, deleted, cancelled, null, access);
    return deleted;
  }

  /** Finishes or rolls back an unfinished run; see {@link TenantService#resumeProvisioning}. */
  Optional<Tenant> resume(TenantId id, TenantService.Resolution resolution, @Nullable PlatformAccess access) {
    Optional<ProvisioningRecord> found = store.findProvisioningRecord(id);
    Optional<Tenant> stored = store.findById(id);
    if (stored.isEmpty()) {
      // The run got as far as removing the tenant (or never inserted it): only the journal is left to clear.
      found.ifPresent(journal -> store.removeProvisioningRecord(id));
      return Optional.empty();
    }
    Tenant tenant = stored.get();
    if (found.isEmpty() && tenant.status() != TenantStatus.PROVISIONING) {
      return stored;
    }
    // A PROVISIONING tenant without a journal crashed before its first step was journaled: nothing ran yet.
    ProvisioningRecord journal = found.isPresent() ? found.get()
        : journal(id, Operation.PROVISION, State.RUNNING, List.of(), null, null);
    requireKnownSteps(journal);
    if (journal.operation() == Operation.DEPROVISION) {
      return resumePurge(tenant, journal, resolution, access);
    }
    if (tenant.status() != TenantStatus.PROVISIONING) {
      if (resolution == TenantService.Resolution.FINISH) {
        store.removeProvisioningRecord(id);
        return stored;
      }
      throw new TenantConflictException("Tenant " + id + " finished provisioning already (it is " + tenant.status()
          + "), so it cannot be rolled back; resume with FINISH to clear the journal, or delete the tenant");
    }
    if (resolution == TenantService.Resolution.FINISH) {
      // After a compensation started, completed steps may be half-undone: run them all again (steps are idempotent).
      List<String> done = journal.state() == State.RUNNING ? journal.completedSteps() : List.of();
      // A journal written before the target was recorded resumes into TRIAL: the status that serves least.
      TenantStatus target = journal.targetStatus() == null ? TenantStatus.TRIAL : journal.targetStatus();
      journal(id, Operation.PROVISION, State.RUNNING, done, null, target);
      return Optional.of(runForward(tenant, done, target, access));
    }
    ProvisioningStep next = steps.values().stream()
        .filter(step -> !journal.completedSteps().contains(step.name()))
        .findFirst().orElse(null);
    rollBack(tenant, journal.completedSteps(), next, null, access);
    return Optional.empty();
  }

  private Optional<Tenant> resumePurge(Tenant tenant, ProvisioningRecord journal,
      TenantService.Resolution resolution, @Nullable PlatformAccess access) {
    if (tenant.status() == TenantStatus.DELETED) {
      store.removeProvisioningRecord(tenant.id());
      return Optional.of(tenant);
    }
    if (resolution == TenantService.Resolution.ROLL_BACK) {
      throw new TenantConflictException("The purge of tenant " + tenant.id() + " cannot be rolled back: some of its "
          + "data may be erased already; resume it with FINISH to complete the purge");
    }
    return Optional.of(purge(tenant, journal.completedSteps(), access));
  }

  private void requireKnownSteps(ProvisioningRecord journal) {
    for (String name : journal.completedSteps()) {
      if (!steps.containsKey(name)) {
        throw new TenancyConfigurationException("The provisioning journal of tenant " + journal.tenantId()
            + " names step '" + name + "', which this TenantService does not have (it has " + steps.keySet()
            + "); build the service with the same steps as the one that started the run");
      }
    }
  }

  /** Writes the journal and returns it. */
  ProvisioningRecord journal(TenantId id, Operation operation, State state, List<String> done,
      @Nullable String lastError, @Nullable TenantStatus target) {
    ProvisioningRecord record =
        new ProvisioningRecord(id, operation, state, done, lastError, clock.instant(), target);
    store.saveProvisioningRecord(record);
    return record;
  }

  /** The scope steps run in; a purge must not be blocked by a tier that has since left the catalog. */
  private TenantInfo scopeFor(Tenant tenant) {
    try {
      return TenantInfo.of(tenant, resolver.resolve(tenant));
    } catch (TenantValidationException e) {
      LOG.warn("Tenant {} has a configuration that no longer resolves ({}); its steps are undone without one",
          tenant.id(), e.getMessage());
      return TenantInfo.of(tenant, EffectiveConfiguration.none());
    }
  }

  private static void runStep(TenantInfo info, Tenant tenant, ProvisioningStep step, boolean forward)
      throws Exception {
    try (TenantScope ignored = TenantContext.enter(info)) {
      if (forward) {
        step.provision(tenant);
      } else {
        step.deprovision(tenant);
      }
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static void restoreInterrupt(Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
  }
}
