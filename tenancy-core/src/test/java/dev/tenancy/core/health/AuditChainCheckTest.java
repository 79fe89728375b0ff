package dev.tenancy.core.health;

import static dev.tenancy.core.health.HealthFixtures.T0;
import static dev.tenancy.core.health.HealthFixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditCheckpoint;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditKey;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.memory.InMemoryAuditCheckpointStore;
import dev.tenancy.core.memory.InMemoryAuditSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The audit chain check on the situations a platform restore produces — a copy behind its checkpoints, a copy written
 * again after the restore — told apart from tampering, which must stay {@code DOWN}.
 */
class AuditChainCheckTest {

  private static final AuditKey KEY = AuditKey.of("health-test-audit-key-0123456789abcdef".getBytes(
      StandardCharsets.UTF_8));
  private static final AuditKey OTHER_KEY = AuditKey.of("someone-elses-audit-key-0123456789abcd".getBytes(
      StandardCharsets.UTF_8));

  private final Tenant acme = tenant("acme");
  private final InMemoryAuditCheckpointStore checkpoints = new InMemoryAuditCheckpointStore();
  private final AuditChainCheck check = AuditChainCheck.builder().sink(new InMemoryAuditSink())
      .checkpoints(checkpoints).key(KEY).build();

  /** Ten records of acme, checkpointed at 5 and 10 as the audit log would have done before the backup. */
  private final List<AuditRecord> original = chain(acme.id(), "user", 1, 10, AuditRecord.GENESIS);

  private static List<AuditRecord> chain(@Nullable TenantId tenant, String actor, int from, int to,
      String previousHash) {
    List<AuditRecord> records = new ArrayList<>();
    String previous = previousHash;
    for (int n = from; n <= to; n++) {
      AuditEvent event = AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.read").tenant(tenant)
          .timestamp(T0.plusSeconds(n)).actor(AuditActorType.USER, actor + "-" + n).resource("lead/" + n).build();
      AuditRecord record = AuditRecord.seal(event, n, previous, KEY);
      records.add(record);
      previous = record.hash();
    }
    return records;
  }

  private AuditChainCheck checkOver(InMemoryAuditSink sink) {
    return AuditChainCheck.builder().sink(sink).checkpoints(checkpoints).key(KEY).build();
  }

  private InMemoryAuditSink stored(List<AuditRecord> records) {
    InMemoryAuditSink sink = new InMemoryAuditSink();
    if (!records.isEmpty()) {
      sink.append(records);
    }
    return sink;
  }

  private void checkpointOriginal() {
    checkpoints.save(AuditCheckpoint.of(original.get(4), T0.plusSeconds(60), KEY));
    checkpoints.save(AuditCheckpoint.of(original.get(9), T0.plusSeconds(120), KEY));
  }

  @Test
  void intactChain_agreeingWithItsCheckpoints_isUp() {
    checkpointOriginal();

    CheckResult result = checkOver(stored(original)).check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.UP);
    assertThat(result.detail()).startsWith("intact: 10 records");
    assertThat(result.facts()).containsEntry("records", 10L).containsEntry("lastSequence", 10L)
        .containsEntry("checkpointSequence", 10L);
  }

  @Test
  void tenantWithoutRecords_isUp() {
    CheckResult result = check.check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.UP);
    assertThat(result.detail()).isEqualTo("no audit records yet");
  }

  @Test
  void restoredCopyBehindItsCheckpoint_isDegraded_sayingHowManyEventsWereLost() {
    checkpointOriginal();

    CheckResult result = checkOver(stored(original.subList(0, 6))).check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(result.facts()).containsEntry("lostEventsAtLeast", 4L).containsEntry("lastSequence", 6L)
        .containsEntry("checkpointSequence", 10L);
    assertThat(result.detail()).contains("ends at position 6").contains("at least 4 events")
        .contains("restoring the database to an earlier point");
  }

  @Test
  void chainEntirelyMissingBehindItsCheckpoint_isDegraded_withEveryEventLost() {
    checkpointOriginal();

    CheckResult result = checkOver(stored(List.of())).check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(result.facts()).containsEntry("lostEventsAtLeast", 10L);
  }

  @Test
  void restoredCopyWrittenAgain_isDegraded_andSaysWhereItDiverges() {
    checkpointOriginal();
    List<AuditRecord> restoredThenWritten = new ArrayList<>(original.subList(0, 7));
    restoredThenWritten.addAll(chain(acme.id(), "after-restore", 8, 12, original.get(6).hash()));

    CheckResult result = checkOver(stored(restoredThenWritten)).check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(result.facts()).containsEntry("divergesAfter", 5L).containsEntry("divergesAtOrBefore", 10L)
        .containsEntry("lostEventsAtLeast", 1L).containsEntry("records", 12L);
    assertThat(result.detail()).contains("between 6 and 10").contains("written again").contains("intact (12");
  }

  @Test
  void restoredCopyWrittenAgain_andThenEdited_isDown() {
    checkpointOriginal();
    List<AuditRecord> restoredThenWritten = new ArrayList<>(original.subList(0, 7));
    restoredThenWritten.addAll(chain(acme.id(), "after-restore", 8, 12, original.get(6).hash()));
    InMemoryAuditSink sink = stored(restoredThenWritten);
    sink.tamper(acme.id().toString(), records -> {
      AuditRecord eleventh = records.get(10);
      AuditEvent changed = AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.read").tenant(acme.id())
          .timestamp(eleventh.event().timestamp()).actor(AuditActorType.USER, "someone-else").build();
      records.set(10, new AuditRecord(eleventh.chain(), 11, eleventh.previousHash(), eleventh.hash(),
          eleventh.mac(), changed));
      return records;
    });

    CheckResult result = checkOver(sink).check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.facts()).containsEntry("problem", "EDITED").containsEntry("problemSequence", 11L);
  }

  @Test
  void recordDeletedFromTheMiddle_isDown() {
    checkpointOriginal();
    InMemoryAuditSink sink = stored(original);
    sink.tamper(acme.id().toString(), records -> {
      records.remove(3);
      return records;
    });

    CheckResult result = checkOver(sink).check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.facts()).containsEntry("problem", "MISSING").containsEntry("problemSequence", 4L);
    assertThat(result.detail()).contains("restore it from a copy");
  }

  @Test
  void recordOfAnotherTenantSplicedIn_isDown_withoutNamingTheOtherTenant() {
    TenantId neighbour = TenantId.random();
    InMemoryAuditSink sink = stored(original);
    AuditRecord foreign = chain(neighbour, "neighbour", 1, 3, AuditRecord.GENESIS).get(2);
    sink.tamper(acme.id().toString(), records -> {
      records.set(2, new AuditRecord(acme.id().toString(), 3, foreign.previousHash(), foreign.hash(), foreign.mac(),
          foreign.event()));
      return records;
    });

    CheckResult result = checkOver(sink).check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.facts()).containsEntry("problem", "FOREIGN");
    assertThat(result.detail()).doesNotContain(neighbour.toString()).doesNotContain("neighbour");
    assertThat(result.facts().values()).noneMatch(value -> value.toString().contains(neighbour.toString()));
  }

  @Test
  void checkpointSignedWithAnotherKey_isDown() {
    checkpoints.save(AuditCheckpoint.of(original.get(9), T0.plusSeconds(120), OTHER_KEY));

    CheckResult result = checkOver(stored(original)).check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.facts()).containsEntry("problem", "CHECKPOINT_FORGED");
  }

  @Test
  void purgedTenant_withoutRecords_isUp_butWithRecordsBroughtBackByARestore_isDegraded() {
    Tenant purged = tenant("purged", TenantStatus.DELETED);
    List<AuditRecord> trail = chain(purged.id(), "user", 1, 3, AuditRecord.GENESIS);

    assertThat(check.check(purged).status()).isEqualTo(HealthStatus.UP);

    CheckResult restored = checkOver(stored(trail)).check(purged);
    assertThat(restored.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(restored.detail()).contains("purged").contains("erase the chain again");
    assertThat(restored.facts()).containsEntry("lastSequence", 3L);

    AuditChainCheck keepsTrails = AuditChainCheck.builder().sink(stored(trail)).checkpoints(checkpoints).key(KEY)
        .purgeErasesChains(false).build();
    assertThat(keepsTrails.check(purged).status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void platformForm_verifiesThePlatformChain_andCountsChainsOfUnknownTenants() {
    List<AuditRecord> platform = chain(null, "operator", 1, 4, AuditRecord.GENESIS);
    checkpoints.save(AuditCheckpoint.of(platform.get(3), T0.plusSeconds(60), KEY));
    InMemoryAuditSink sink = stored(original);
    sink.append(platform);
    sink.append(chain(TenantId.random(), "ghost", 1, 2, AuditRecord.GENESIS));

    CheckResult result = checkOver(sink).checkPlatform(List.of(acme)).orElseThrow();

    assertThat(result.status()).isEqualTo(HealthStatus.UP);
    assertThat(result.facts()).containsEntry("records", 4L).containsEntry("chainsOfUnknownTenants", 1L);

    sink.tamper(AuditRecord.PLATFORM_CHAIN, records -> records.subList(0, 2));
    assertThat(checkOver(sink).checkPlatform(List.of(acme)).orElseThrow().status())
        .isEqualTo(HealthStatus.DEGRADED);
  }

  @Test
  void builder_needsTheSinkAndTheCheckpoints() {
    assertThatThrownBy(() -> AuditChainCheck.builder().checkpoints(checkpoints).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("sink");
    assertThatThrownBy(() -> AuditChainCheck.builder().sink(new InMemoryAuditSink()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("checkpoint");
  }
}
