package dev.tenancy.core.audit;

import dev.tenancy.core.StandardLimit;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.spi.AuditCheckpointStore;
import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.core.spi.TenantStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges audit events older than their tenant's retention while keeping every chain verifiable, and erases a
 * purged tenant's trail.
 *
 * <p>Retention comes from the tenant's tier: the limit {@link StandardLimit#AUDIT_RETENTION_DAYS}
 * ({@code auditRetentionDays}), overridable per tenant and per environment like every limit; no limit means kept
 * forever. A purge of one chain:
 * <ol>
 *   <li>finds the longest run of records from the chain's start whose events are older than the cutoff, never
 *   including the newest record (the head anchors the next append, and an empty chain would restart at 1);</li>
 *   <li>verifies that run with {@link AuditVerifier}, and refuses to purge a run that does not verify: removing
 *   tampered records would destroy the evidence and anchor the rest on a forged record;</li>
 *   <li>saves an {@link AuditCheckpoint} of the last record of the run in the {@link AuditCheckpointStore}
 *   <em>first</em>, then removes the run with {@link AuditSink#deleteBefore}. A crash in between leaves an extra
 *   checkpoint, which is harmless; the other order could leave a chain whose start nothing vouches for.</li>
 * </ol>
 * {@link AuditVerifier} then anchors the first retained record on that checkpoint; deleting anything more at the
 * start is reported as {@link AuditVerification.Problem#MISSING}. Events are purged strictly in chain order: an event
 * whose time is past the cutoff stops the run, so a later event with an older time (clock skew) waits for it.
 *
 * <pre>{@code
 * AuditRetention retention = AuditRetention.builder()
 *     .sink(sink).checkpoints(checkpointStore).key(auditKey)
 *     .tenants(tenantStore, resolver)
 *     .platformRetention(Duration.ofDays(400))
 *     .build();
 * List<AuditPurge> purges = retention.purgeAll();   // e.g. nightly, from one scheduler
 * }</pre>
 *
 * @since 0.1.0
 */
public final class AuditRetention {

  private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);
  /** Retention beyond this many days is treated as forever (and keeps {@code now - retention} representable). */
  private static final long MAX_DAYS = 1_000_000;

  private final AuditSink sink;
  private final AuditCheckpointStore checkpoints;
  private final @Nullable AuditKey key;
  private final Function<TenantId, Optional<Duration>> tenantRetention;
  private final @Nullable Duration platformRetention;
  private final Clock clock;
  private final AuditVerifier verifier;

  private AuditRetention(Builder builder, AuditSink sink, AuditCheckpointStore checkpoints,
      Function<TenantId, Optional<Duration>> tenantRetention) {
    this.sink = sink;
    this.checkpoints = checkpoints;
    this.key = builder.key;
    this.tenantRetention = tenantRetention;
    this.platformRetention = builder.platformRetention;
    this.clock = builder.clock;
    AuditVerifier.Builder verifierBuilder = AuditVerifier.builder().checkpoints(checkpoints);
    if (key != null) {
      verifierBuilder.key(key);
    }
    this.verifier = verifierBuilder.build();
  }

  /** @return a builder; sink, checkpoint store and a retention source ({@code tenants} or {@code retention}) needed */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Applies retention to every chain the sink holds: each tenant's by its retention, the platform chain by
   * {@link Builder#platformRetention}. A failure on one chain is reported in its result and does not stop the others.
   *
   * @return one result per chain, in the sink's chain order
   */
  public List<AuditPurge> purgeAll() {
    List<AuditPurge> results = new ArrayList<>();
    for (String chain : sink.chains()) {
      results.add(purgeChain(chain));
    }
    return results;
  }

  /**
   * Applies retention to one tenant's chain.
   *
   * @param tenant the tenant
   * @return what was done
   */
  public AuditPurge purge(TenantId tenant) {
    return purgeChain(Objects.requireNonNull(tenant, "tenant").toString());
  }

  /**
   * Erases a tenant's whole trail and its checkpoints, when the tenant itself is purged (its data deleted for good).
   * Unlike retention this leaves nothing to verify. Events first, checkpoints second: if this fails half way, the
   * checkpoints that remain make the verifier report the chain as truncated instead of silently empty; call it again.
   *
   * @param tenant the purged tenant
   * @return how many records were removed
   * @throws AuditStorageException if the sink or the checkpoint store fails
   */
  public long erase(TenantId tenant) {
    String chain = Objects.requireNonNull(tenant, "tenant").toString();
    long removed = sink.erase(chain);
    checkpoints.erase(chain);
    LOG.info("Erased the audit trail of purged tenant {}: {} record(s) and its checkpoints", chain, removed);
    return removed;
  }

  private AuditPurge purgeChain(String chain) {
    try {
      Optional<Duration> retention = retentionOf(chain);
      if (retention.isEmpty()) {
        return new AuditPurge(chain, AuditPurge.Outcome.KEPT, null, 0, 0, null,
            "no audit retention applies to chain " + chain + ": kept forever");
      }
      Instant now = clock.instant();
      return purgeBefore(chain, now.minus(retention.get()), now);
    } catch (RuntimeException e) {
      LOG.warn("Audit retention failed on chain {}; the other chains go on", chain, e);
      return new AuditPurge(chain, AuditPurge.Outcome.FAILED, null, 0, 0, null,
          "retention failed on chain " + chain + ": " + e.getMessage());
    }
  }

  private Optional<Duration> retentionOf(String chain) {
    if (chain.equals(AuditRecord.PLATFORM_CHAIN)) {
      return Optional.ofNullable(platformRetention);
    }
    if (!TenantId.isValid(chain)) {
      return Optional.empty();
    }
    return tenantRetention.apply(TenantId.of(chain));
  }

  private AuditPurge purgeBefore(String chain, Instant cutoff, Instant now) {
    Optional<AuditRecord> head = sink.last(chain);
    if (head.isEmpty()) {
      return new AuditPurge(chain, AuditPurge.Outcome.KEPT, cutoff, 0, 0, null, "chain " + chain + " is empty");
    }
    AuditRecord lastDue = null;
    if (head.get().sequence() > 1) {
      try (Stream<AuditRecord> stored = sink.read(chain, 1, head.get().sequence() - 1)) {
        for (Iterator<AuditRecord> it = stored.iterator(); it.hasNext(); ) {
          AuditRecord record = it.next();
          if (!record.event().timestamp().isBefore(cutoff)) {
            break;
          }
          lastDue = record;
        }
      }
    }
    if (lastDue == null) {
      return new AuditPurge(chain, AuditPurge.Outcome.NOTHING_DUE, cutoff, 0, 0, null,
          "nothing in chain " + chain + " but its head is older than " + cutoff);
    }
    if (key == null && lastDue.mac() != null) {
      return new AuditPurge(chain, AuditPurge.Outcome.REFUSED, cutoff, 0, 0, null, "chain " + chain
          + " is keyed but AuditRetention has no AuditKey: its checkpoint would be unsigned and fail verification;"
          + " give the builder the key the chain is sealed with");
    }
    AuditVerification verification = verifier.verify(sink, chain, 1, lastDue.sequence());
    if (!verification.isIntact()) {
      LOG.warn("Refused to purge audit chain {}: {} at {}: {}", chain, verification.problem(),
          verification.problemSequence(), verification.detail());
      return new AuditPurge(chain, AuditPurge.Outcome.REFUSED, cutoff, 0, 0, verification, "chain " + chain
          + " does not verify up to " + lastDue.sequence() + " (" + verification.problem() + " at "
          + verification.problemSequence() + "): nothing purged, so the evidence stays");
    }
    checkpoints.save(AuditCheckpoint.of(lastDue, now, key));
    long removed = sink.deleteBefore(chain, lastDue.sequence() + 1);
    return new AuditPurge(chain, AuditPurge.Outcome.PURGED, cutoff, removed, lastDue.sequence(), null,
        "removed " + removed + " record(s) of chain " + chain + " through " + lastDue.sequence()
            + ", anchored by a checkpoint there");
  }

  /** Configures an {@link AuditRetention}. */
  public static final class Builder {
    private @Nullable AuditSink sink;
    private @Nullable AuditCheckpointStore checkpoints;
    private @Nullable AuditKey key;
    private @Nullable Function<TenantId, Optional<Duration>> tenantRetention;
    private @Nullable Duration platformRetention;
    private Clock clock = Clock.systemUTC();

    private Builder() {
    }

    /**
     * @param sink where the chains are stored
     * @return this builder
     */
    public Builder sink(AuditSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * @param checkpoints where the anchoring checkpoints are saved, outside the event store
     * @return this builder
     */
    public Builder checkpoints(AuditCheckpointStore checkpoints) {
      this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
      return this;
    }

    /**
     * @param key the key the chains are sealed with: records are verified with it and checkpoints signed with it
     * @return this builder
     */
    public Builder key(AuditKey key) {
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * Takes each tenant's retention from its effective configuration: the limit
     * {@link StandardLimit#AUDIT_RETENTION_DAYS} of its tier, tenant overrides and environment overrides. A tenant
     * without the limit, or not in the store, keeps its trail.
     *
     * @param tenants the tenant store
     * @param resolver layers tier, tenant and environment configuration
     * @return this builder
     */
    public Builder tenants(TenantStore tenants, TenantConfigurationResolver resolver) {
      Objects.requireNonNull(tenants, "tenants");
      Objects.requireNonNull(resolver, "resolver");
      return retention(tenant -> tenants.findById(tenant)
          .map(found -> resolver.resolve(found).limit(StandardLimit.AUDIT_RETENTION_DAYS))
          .flatMap(Builder::days));
    }

    /**
     * Sets each tenant's retention directly, instead of {@link #tenants}.
     *
     * @param retention a tenant's retention, or empty to keep its trail forever
     * @return this builder
     */
    public Builder retention(Function<TenantId, Optional<Duration>> retention) {
      Objects.requireNonNull(retention, "retention");
      this.tenantRetention = tenant -> {
        Optional<Duration> duration = retention.apply(tenant);
        if (duration.isPresent() && duration.get().isNegative()) {
          throw new IllegalArgumentException("retention of tenant " + tenant + " is negative: " + duration.get());
        }
        return duration;
      };
      return this;
    }

    /**
     * @param retention how long platform-wide events are kept; kept forever unless set
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder platformRetention(Duration retention) {
      if (Objects.requireNonNull(retention, "retention").isNegative()) {
        throw new IllegalArgumentException("platformRetention must not be negative, was " + retention);
      }
      this.platformRetention = retention;
      return this;
    }

    /**
     * @param clock where now comes from; the system UTC clock by default
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @return the retention
     * @throws IllegalStateException if the sink, the checkpoint store or the retention source is missing
     */
    public AuditRetention build() {
      AuditSink configuredSink = sink;
      AuditCheckpointStore configuredCheckpoints = checkpoints;
      Function<TenantId, Optional<Duration>> configuredRetention = tenantRetention;
      if (configuredSink == null || configuredCheckpoints == null) {
        throw new IllegalStateException("AuditRetention needs the AuditSink and the AuditCheckpointStore: without a"
            + " checkpoint the retained chain cannot be verified; call sink(…) and checkpoints(…)");
      }
      if (configuredRetention == null) {
        throw new IllegalStateException("AuditRetention needs to know each tenant's retention: call"
            + " tenants(tenantStore, resolver) to use the tier limit auditRetentionDays, or retention(…)");
      }
      return new AuditRetention(this, configuredSink, configuredCheckpoints, configuredRetention);
    }

    private static Optional<Duration> days(OptionalLong days) {
      return days.isPresent() && days.getAsLong() <= MAX_DAYS ? Optional.of(Duration.ofDays(days.getAsLong()))
          : Optional.empty();
    }
  }
}
