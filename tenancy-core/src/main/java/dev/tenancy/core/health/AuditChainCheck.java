package dev.tenancy.core.health;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.audit.AuditCheckpoint;
import dev.tenancy.core.audit.AuditKey;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.audit.AuditVerification;
import dev.tenancy.core.audit.AuditVerifier;
import dev.tenancy.core.spi.AuditCheckpointStore;
import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.core.spi.TenantHealthCheck;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies each tenant's audit chain, and the platform's own chain, with {@link AuditVerifier} against the checkpoints
 * kept outside the event store.
 *
 * <ul>
 *   <li>{@link HealthStatus#UP UP}: the chain is intact and agrees with every checkpoint (or has no records yet).</li>
 *   <li>{@link HealthStatus#DEGRADED DEGRADED}: the chain ends before its latest checkpoint
 *       ({@link AuditVerification.Problem#TRUNCATED TRUNCATED}), or was written again after such an end
 *       ({@link AuditVerification.Problem#ROLLED_BACK ROLLED_BACK}) and is otherwise intact. After restoring the
 *       database to an earlier point this is expected — the events recorded after that point are gone — and the
 *       result says how many at least (fact {@code lostEventsAtLeast}); without a restore it means events were cut
 *       off the end. Also: a purged tenant whose chain holds records again (a restore from before its erasure).</li>
 *   <li>{@link HealthStatus#DOWN DOWN}: anything else the verifier finds — an edited, inserted, deleted, moved or
 *       foreign record, a forged checkpoint, a record that cannot be read.</li>
 * </ul>
 *
 * <pre>{@code
 * AuditChainCheck check = AuditChainCheck.builder()
 *     .sink(jdbcAuditSink)
 *     .checkpoints(FileAuditCheckpointStore.builder().file(Path.of("/mnt/anchors/checkpoints.jsonl")).build())
 *     .key(auditKey)
 *     .build();
 * }</pre>
 *
 * <p>Each check reads the tenant's whole chain: on a large trail give the runner a timeout that fits.
 *
 * @since 0.1.0
 */
public final class AuditChainCheck implements TenantHealthCheck {

  /** The check's name, the key of its result. */
  public static final String NAME = "audit-chain";

  private static final Logger LOG = LoggerFactory.getLogger(AuditChainCheck.class);

  private final AuditSink sink;
  private final AuditCheckpointStore checkpoints;
  private final @Nullable AuditKey key;
  private final boolean purgeErasesChains;
  private final AuditVerifier verifier;

  private AuditChainCheck(Builder builder, AuditSink sink, AuditCheckpointStore checkpoints) {
    this.sink = sink;
    this.checkpoints = checkpoints;
    this.key = builder.key;
    this.purgeErasesChains = builder.purgeErasesChains;
    this.verifier = verifier(checkpoints);
  }

  /** @return a builder; the sink and the checkpoint store are required */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Verifies the tenant's chain; for a purged tenant (when purging erases chains), checks that nothing is left.
   *
   * @param tenant the tenant
   * @return what was found
   */
  @Override
  public CheckResult check(Tenant tenant) {
    String chain = tenant.id().toString();
    if (tenant.status() == TenantStatus.DELETED && purgeErasesChains) {
      Optional<AuditRecord> last = sink.last(chain);
      if (last.isPresent()) {
        return CheckResult.degraded("the tenant was purged, but its audit chain holds records again (up to position "
            + last.get().sequence() + "): the audit store was restored from before the purge; erase the chain again "
            + "(AuditLog.erase)").withFact("lastSequence", last.get().sequence());
      }
      return CheckResult.up("purged: no audit records remain, as intended");
    }
    return verify(chain);
  }

  /**
   * Verifies the platform's own chain ({@value AuditRecord#PLATFORM_CHAIN}: platform access, purges), and counts the
   * chains of tenants the platform does not know (fact {@code chainsOfUnknownTenants}; a provisioning that was rolled
   * back leaves one, so they are not a problem by themselves).
   *
   * @param tenants every tenant
   * @return what was found
   */
  @Override
  public Optional<CheckResult> checkPlatform(List<Tenant> tenants) {
    CheckResult platform = verify(AuditRecord.PLATFORM_CHAIN);
    Set<String> known = new HashSet<>();
    tenants.forEach(tenant -> known.add(tenant.id().toString()));
    known.add(AuditRecord.PLATFORM_CHAIN);
    long unknown = sink.chains().stream().filter(chain -> !known.contains(chain)).count();
    return Optional.of(platform.withFact("chainsOfUnknownTenants", unknown));
  }

  private CheckResult verify(String chain) {
    AuditVerification verification = verifier.verify(sink, chain);
    Optional<AuditCheckpoint> latest = checkpoints.latest(chain);
    if (verification.isIntact()) {
      return intact(verification, latest);
    }
    AuditVerification.Problem problem = Objects.requireNonNull(verification.problem());
    if (problem == AuditVerification.Problem.TRUNCATED && latest.isPresent()) {
      AuditCheckpoint checkpoint = latest.get();
      long lost = checkpoint.sequence() - verification.lastSequence();
      return facts(CheckResult.degraded("the chain ends at position " + verification.lastSequence()
          + ", but the checkpoint taken at " + checkpoint.createdAt() + " vouches for " + checkpoint.sequence()
          + ": at least " + lost + " events recorded before then are gone. Expected after restoring the database to"
          + " an earlier point; without a restore, events were cut off the end of the chain."), verification,
          checkpoint).withFact("lostEventsAtLeast", lost);
    }
    if (problem == AuditVerification.Problem.ROLLED_BACK && latest.isPresent()) {
      return rolledBack(chain, verification, latest.get());
    }
    return tampered(chain, verification);
  }

  /**
   * The chain was restored to an earlier point and written again. What it lost cannot be read any more; whether what
   * it holds now is sound can: verify it again against the checkpoints it still agrees with (those before the break).
   */
  private CheckResult rolledBack(String chain, AuditVerification verification, AuditCheckpoint latest) {
    long at = verification.problemSequence();
    AuditVerification now = verifier(new CheckpointsBefore(checkpoints, at)).verify(sink, chain);
    if (!now.isIntact()) {
      return tampered(chain, now);
    }
    long lost = latest.sequence() - at + 1;
    // The last checkpoint before the break still matched: the restored copy ends somewhere after it.
    long matched = checkpoints.checkpoints(chain).stream().mapToLong(AuditCheckpoint::sequence)
        .filter(sequence -> sequence < at).max().orElse(0);
    return facts(CheckResult.degraded("the chain differs from its checkpoints from a position between "
        + (matched + 1) + " and " + at + " on: the audit store was restored to an earlier point and written again,"
        + " so at least " + lost + " events recorded before " + latest.createdAt() + " are gone. The chain as it"
        + " stands now is intact (" + now.verified() + " records)."), now, latest)
        .withFact("lostEventsAtLeast", lost)
        .withFact("divergesAfter", matched)
        .withFact("divergesAtOrBefore", at);
  }

  private static CheckResult intact(AuditVerification verification, Optional<AuditCheckpoint> latest) {
    if (verification.verified() == 0 && latest.isEmpty()) {
      return CheckResult.up("no audit records yet");
    }
    CheckResult result = CheckResult.up("intact: " + verification.verified() + " records up to position "
        + verification.lastSequence() + latest.map(checkpoint -> ", agreeing with the checkpoint taken at "
        + checkpoint.createdAt()).orElse(", no checkpoint yet"));
    return latest.map(checkpoint -> facts(result, verification, checkpoint)).orElseGet(() -> result
        .withFact("records", verification.verified()).withFact("lastSequence", verification.lastSequence()));
  }

  private CheckResult tampered(String chain, AuditVerification verification) {
    AuditVerification.Problem problem = Objects.requireNonNull(verification.problem());
    long at = verification.problemSequence();
    // The verifier's own sentence names positions and checkpoint times only, except for these two: a foreign
    // record's sentence names the other chain, and a storage error's message may quote what it could not parse.
    String what = switch (problem) {
      case FOREIGN -> "the record stored at position " + at + " belongs to another chain: it was copied in from"
          + " another trail";
      case UNREADABLE -> "the record at position " + at + " cannot be read back (see the application log)";
      default -> verification.detail();
    };
    if (problem == AuditVerification.Problem.UNREADABLE) {
      LOG.warn("audit chain {} cannot be read at position {}: {}", chain, at, verification.detail());
    }
    return CheckResult.down(problem + " at position " + at + ": " + what + ". The audit trail was changed outside"
        + " the library: restore it from a copy and find out who changed it.")
        .withFact("problem", problem.name())
        .withFact("problemSequence", at)
        .withFact("verifiedRecords", verification.verified());
  }

  private static CheckResult facts(CheckResult result, AuditVerification verification, AuditCheckpoint checkpoint) {
    return result.withFact("records", verification.verified())
        .withFact("lastSequence", verification.lastSequence())
        .withFact("checkpointSequence", checkpoint.sequence())
        .withFact("checkpointTakenAt", checkpoint.createdAt().toString());
  }

  private AuditVerifier verifier(AuditCheckpointStore store) {
    AuditVerifier.Builder builder = AuditVerifier.builder().checkpoints(store);
    if (key != null) {
      builder.key(key);
    }
    return builder.build();
  }

  @Override
  public String toString() {
    return "AuditChainCheck[sink=" + sink + ", checkpoints=" + checkpoints + ", keyed=" + (key != null) + "]";
  }

  /** A read-only view of the checkpoints below one position: those a rolled-back chain still agrees with. */
  private static final class CheckpointsBefore implements AuditCheckpointStore {
    private final AuditCheckpointStore all;
    private final long before;

    CheckpointsBefore(AuditCheckpointStore all, long before) {
      this.all = all;
      this.before = before;
    }

    @Override
    public void save(AuditCheckpoint checkpoint) {
      throw new UnsupportedOperationException("read-only view");
    }

    @Override
    public List<AuditCheckpoint> checkpoints(String chain) {
      return all.checkpoints(chain).stream().filter(checkpoint -> checkpoint.sequence() < before).toList();
    }

    @Override
    public void erase(String chain) {
      throw new UnsupportedOperationException("read-only view");
    }
  }

  /** Configures an {@link AuditChainCheck}. */
  public static final class Builder {
    private @Nullable AuditSink sink;
    private @Nullable AuditCheckpointStore checkpoints;
    private @Nullable AuditKey key;
    private boolean purgeErasesChains = true;

    private Builder() {
    }

    /**
     * @param store where the records are (the restored database's sink, after a restore)
     * @return this builder
     */
    public Builder sink(AuditSink store) {
      this.sink = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * @param store the checkpoints kept outside the event store; they are what tells a restore's lost events
     * @return this builder
     */
    public Builder checkpoints(AuditCheckpointStore store) {
      this.checkpoints = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * @param auditKey the key the chains are sealed with; then every MAC and checkpoint signature is checked too
     * @return this builder
     */
    public Builder key(AuditKey auditKey) {
      this.key = Objects.requireNonNull(auditKey, "auditKey");
      return this;
    }

    /**
     * @param erases whether purging a tenant erases its chain, as {@code AuditLog}'s lifecycle listener does (the
     *     default); if not, a purged tenant's chain is verified like any other
     * @return this builder
     */
    public Builder purgeErasesChains(boolean erases) {
      this.purgeErasesChains = erases;
      return this;
    }

    /**
     * @return the check
     * @throws IllegalStateException if the sink or the checkpoint store is missing
     */
    public AuditChainCheck build() {
      if (sink == null) {
        throw new IllegalStateException("give the check the audit sink: sink(auditSink)");
      }
      if (checkpoints == null) {
        throw new IllegalStateException("give the check the checkpoint store kept outside the database:"
            + " checkpoints(store); without it a restored or truncated trail looks intact");
      }
      return new AuditChainCheck(this, sink, checkpoints);
    }
  }
}
