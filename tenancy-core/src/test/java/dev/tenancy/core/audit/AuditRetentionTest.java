package dev.tenancy.core.audit;

import static dev.tenancy.core.audit.AuditExportFixtures.append;
import static dev.tenancy.core.audit.AuditExportFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.memory.InMemoryAuditCheckpointStore;
import dev.tenancy.core.memory.InMemoryAuditSink;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.spi.AuditSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AuditRetentionTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final AuditKey KEY = AuditKey.of(new byte[] {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
      31, 32});

  private final InMemoryAuditSink sink = new InMemoryAuditSink();
  private final InMemoryAuditCheckpointStore checkpoints = new InMemoryAuditCheckpointStore();
  private final InMemoryTenantStore tenants = new InMemoryTenantStore();
  private final TenantConfigurationResolver resolver =
      TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none());
  private final AuditVerifier verifier = AuditVerifier.builder().key(KEY).checkpoints(checkpoints).build();

  private AuditRetention.Builder retention() {
    return AuditRetention.builder().sink(sink).checkpoints(checkpoints).key(KEY).tenants(tenants, resolver)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private TenantId tenant(String slug, TenantConfiguration configuration) {
    TenantId id = TenantId.random();
    tenants.insert(new Tenant(id, TenantSlug.of(slug), slug, TenantStatus.ACTIVE, configuration, NOW, NOW, 0, null));
    return id;
  }

  /** Events at the given ages, oldest first, sealed into the tenant's chain. */
  private List<AuditRecord> eventsAged(TenantId tenant, Duration... ages) {
    List<AuditEvent> events = new ArrayList<>();
    for (Duration age : ages) {
      events.add(event(tenant, NOW.minus(age), "user-" + age.toDays()));
    }
    return append(sink, KEY, events);
  }

  private static Duration days(long days) {
    return Duration.ofDays(days);
  }

  private List<Long> sequences(TenantId tenant) {
    try (Stream<AuditRecord> records = sink.read(tenant.toString(), 1, AuditRecord.MAX_SEQUENCE)) {
      return records.map(AuditRecord::sequence).toList();
    }
  }

  @Test
  void purge_removesWhatIsOlderThanTheTierRetention_andTheChainStillVerifies() {
    TenantId free = tenant("free-co", TenantConfiguration.ofTier("free"));
    List<AuditRecord> stored = eventsAged(free, days(400), days(100), days(31), days(29), days(1), days(0));

    AuditPurge purge = retention().build().purge(free);

    assertThat(purge.outcome()).isEqualTo(AuditPurge.Outcome.PURGED);
    assertThat(purge.cutoff()).isEqualTo(NOW.minus(days(30)));
    assertThat(purge.removed()).isEqualTo(3);
    assertThat(purge.purgedThrough()).isEqualTo(3);
    assertThat(sequences(free)).containsExactly(4L, 5L, 6L);
    assertThat(checkpoints.checkpoints(free.toString())).singleElement().satisfies(checkpoint -> {
      assertThat(checkpoint.sequence()).isEqualTo(3);
      assertThat(checkpoint.hash()).isEqualTo(stored.get(2).hash());
      assertThat(checkpoint.signatureMatches(KEY)).isTrue();
    });
    AuditVerification verification = verifier.verify(sink, free.toString());
    assertThat(verification.isIntact()).as(verification.detail()).isTrue();
    assertThat(verification.verified()).isEqualTo(3);
  }

  @Test
  void deletingOneMoreRecordAfterThePurge_isDetectedAsMissing() {
    TenantId free = tenant("free-co", TenantConfiguration.ofTier("free"));
    eventsAged(free, days(100), days(90), days(10), days(5), days(0));
    retention().build().purge(free);

    sink.tamper(free.toString(), records -> records.subList(1, records.size()));

    AuditVerification verification = verifier.verify(sink, free.toString());
    assertThat(verification.isIntact()).isFalse();
    assertThat(verification.problem()).isEqualTo(AuditVerification.Problem.MISSING);
    assertThat(verification.problemSequence()).isEqualTo(1);
  }

  @Test
  void purge_cutoffsDifferByTier_freeVersusEnterprise() {
    TenantId free = tenant("free-co", TenantConfiguration.ofTier("free"));
    TenantId enterprise = tenant("big-co", TenantConfiguration.ofTier("enterprise"));
    Duration[] ages = {days(400), days(100), days(40), days(10), days(0)};
    eventsAged(free, ages);
    eventsAged(enterprise, ages);

    List<AuditPurge> purges = retention().build().purgeAll();

    assertThat(purges).extracting(AuditPurge::chain)
        .containsExactlyInAnyOrder(free.toString(), enterprise.toString());
    assertThat(sequences(free)).containsExactly(4L, 5L);
    assertThat(sequences(enterprise)).containsExactly(1L, 2L, 3L, 4L, 5L);
    AuditPurge ofEnterprise = purges.stream().filter(p -> p.chain().equals(enterprise.toString())).findFirst()
        .orElseThrow();
    assertThat(ofEnterprise.outcome()).isEqualTo(AuditPurge.Outcome.NOTHING_DUE);
    assertThat(ofEnterprise.cutoff()).isEqualTo(NOW.minus(days(2_557)));
    assertThat(verifier.verify(sink, free.toString()).isIntact()).isTrue();
    assertThat(verifier.verify(sink, enterprise.toString()).isIntact()).isTrue();
  }

  @Test
  void purge_followsATenantsOwnRetentionOverride() {
    TenantId pro = tenant("pro-co", TenantConfiguration.ofTier("pro").withLimit("auditRetentionDays", 7));
    eventsAged(pro, days(400), days(10), days(8), days(6), days(0));

    retention().build().purge(pro);

    assertThat(sequences(pro)).containsExactly(4L, 5L);
  }

  @Test
  void purge_followsAnEnvironmentOverride() {
    TenantId acme = tenant("acme", TenantConfiguration.ofTier("enterprise"));
    eventsAged(acme, days(400), days(10), days(0));
    TenantConfigurationResolver withEnvironment = TenantConfigurationResolver.of(TierCatalog.builtIn(),
        EnvironmentOverrides.from(Map.of("TENANCY_TENANT_ACME__LIMIT_AUDIT_RETENTION_DAYS", "5")));

    retention().tenants(tenants, withEnvironment).build().purge(acme);

    assertThat(sequences(acme)).containsExactly(3L);
  }

  @Test
  void purge_ofAChainWhoseEveryEventIsOld_keepsItsHead_whichAnchorsTheNextAppend() {
    TenantId free = tenant("free-co", TenantConfiguration.ofTier("free"));
    List<AuditRecord> stored = eventsAged(free, days(900), days(800), days(700));

    AuditPurge purge = retention().build().purge(free);

    assertThat(purge.removed()).isEqualTo(2);
    assertThat(sequences(free)).containsExactly(3L);
    assertThat(sink.last(free.toString())).contains(stored.get(2));
    append(sink, KEY, event(free, NOW, "next"));
    AuditVerification verification = verifier.verify(sink, free.toString());
    assertThat(verification.isIntact()).as(verification.detail()).isTrue();
    assertThat(verification.lastSequence()).isEqualTo(4);
  }

  @Test
  void purge_ofAChainOfOnlyItsHead_removesNothing() {
    TenantId free = tenant("free-co", TenantConfiguration.ofTier("free"));
    eventsAged(free, days(900));

    AuditPurge purge = retention().build().purge(free);

    assertThat(purge.outcome()).isEqualTo(AuditPurge.Outcome.NOTHING_DUE);
    assertThat(sequences(free)).containsExactly(1L);
    assertThat(checkpoints.checkpoints(free.toString())).isEmpty();
  }

  @Test
  void purge_keepsAnEventExactlyAtTheCutoff() {
    TenantId free = tenant("free-co", TenantConfiguration.ofTier("free"));
    append(sink, KEY, List.of(event(free, NOW.minus(days(30)).minusNanos(1_000), "just-before"),
        event(free, NOW.minus(days(30)), "at-cutoff"), event(free, NOW, "now")));

    retention().build().purge(free);

    assertThat(sequences(free)).containsExactly(2L, 3L);
  }

  /** Purging runs in chain order: an old event after a young one (clock skew) waits until the young one is due. */
  @Test
  void purge_stopsAtTheFirstEventThatIsNotDue() {
    TenantId free = tenant("free-co", TenantConfiguration.ofTier("free"));
    eventsAged(free, days(100), days(10), days(90), days(0));

    retention().build().purge(free);

    assertThat(sequences(free)).containsExactly(2L, 3L, 4L);
  }

  @Test
  void purge_runTwice_leavesAChainAnchoredOnTheLatestCheckpoint() {
    TenantId free = tenant("free-co", TenantConfiguration.ofTier("free"));
    eventsAged(free, days(100), days(50), days(20), days(10), days(0));
    retention().build().purge(free);

    AuditPurge second = retention().clock(Clock.fixed(NOW.plus(days(25)), ZoneOffset.UTC)).build().purge(free);

    assertThat(second.removed()).isEqualTo(2);
    assertThat(sequences(free)).containsExactly(5L);
    assertThat(checkpoints.checkpoints(free.toString())).extracting(AuditCheckpoint::sequence).containsExactly(2L, 4L);
    assertThat(verifier.verify(sink, free.toString()).isIntact()).isTrue();
  }

  /** Removing tampered records would destroy the evidence and anchor the rest on a forged record. */
  @Test
  void purge_ofATamperedChain_isRefused_andRemovesNothing() {
    TenantId free = tenant("free-co", TenantConfiguration.ofTier("free"));
    List<AuditRecord> stored = eventsAged(free, days(100), days(90), days(80), days(0));
    AuditRecord edited = new AuditRecord(stored.get(1).chain(), 2, stored.get(1).previousHash(), stored.get(1).hash(),
        stored.get(1).mac(), event(free, stored.get(1).event().timestamp(), "someone-else"));
    sink.tamper(free.toString(), records -> {
      records.set(1, edited);
      return records;
    });

    AuditPurge purge = retention().build().purge(free);

    assertThat(purge.outcome()).isEqualTo(AuditPurge.Outcome.REFUSED);
    assertThat(purge.verification()).isNotNull();
    assertThat(purge.verification().problem()).isEqualTo(AuditVerification.Problem.EDITED);
    assertThat(purge.verification().problemSequence()).isEqualTo(2);
    assertThat(sequences(free)).containsExactly(1L, 2L, 3L, 4L);
    assertThat(checkpoints.checkpoints(free.toString())).isEmpty();
  }

  @Test
  void purge_ofAKeyedChainWithoutTheKey_isRefused_becauseItsCheckpointWouldBeUnsigned() {
    TenantId free = tenant("free-co", TenantConfiguration.ofTier("free"));
    eventsAged(free, days(100), days(0));
    AuditRetention keyless = AuditRetention.builder().sink(sink).checkpoints(checkpoints).tenants(tenants, resolver)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    AuditPurge purge = keyless.purge(free);

    assertThat(purge.outcome()).isEqualTo(AuditPurge.Outcome.REFUSED);
    assertThat(purge.detail()).contains("AuditKey");
    assertThat(sequences(free)).containsExactly(1L, 2L);
  }

  /** A crash between the two steps must leave a chain that still verifies: so the checkpoint is saved first. */
  @Test
  void purge_savesTheCheckpointBeforeDeleting() {
    TenantId free = tenant("free-co", TenantConfiguration.ofTier("free"));
    eventsAged(free, days(100), days(90), days(0));
    List<String> order = new ArrayList<>();
    AuditSink watched = new ForwardingAuditSink(sink) {
      @Override
      public long deleteBefore(String chain, long beforeSequence) {
        order.add("delete; checkpoints then: " + checkpoints.checkpoints(chain).stream()
            .map(AuditCheckpoint::sequence).toList());
        return super.deleteBefore(chain, beforeSequence);
      }
    };

    AuditRetention.builder().sink(watched).checkpoints(checkpoints).key(KEY).tenants(tenants, resolver)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build().purge(free);

    assertThat(order).containsExactly("delete; checkpoints then: [2]");
  }

  @Test
  void purge_ofAnUnknownTenantOrATierWithoutRetention_keepsEverything() {
    TenantId unknown = TenantId.random();
    TenantId custom = tenant("custom-co", TenantConfiguration.ofTier("free"));
    eventsAged(unknown, days(5_000), days(0));
    eventsAged(custom, days(5_000), days(0));
    AuditRetention noRetentionForCustom = retention()
        .retention(tenant -> tenant.equals(custom) ? Optional.empty() : Optional.of(days(1))).build();

    assertThat(retention().build().purge(unknown).outcome()).isEqualTo(AuditPurge.Outcome.KEPT);
    assertThat(noRetentionForCustom.purge(custom).outcome()).isEqualTo(AuditPurge.Outcome.KEPT);
    assertThat(sequences(unknown)).containsExactly(1L, 2L);
    assertThat(sequences(custom)).containsExactly(1L, 2L);
  }

  @Test
  void purgeAll_appliesThePlatformRetentionToThePlatformChain_onlyWhenSet() {
    append(sink, KEY, List.of(event(null, NOW.minus(days(500)), "operator"), event(null, NOW, "operator")));

    assertThat(retention().build().purgeAll()).singleElement()
        .satisfies(purge -> assertThat(purge.outcome()).isEqualTo(AuditPurge.Outcome.KEPT));
    assertThat(retention().platformRetention(days(365)).build().purgeAll()).singleElement()
        .satisfies(purge -> assertThat(purge.removed()).isEqualTo(1));
    assertThat(verifier.verify(sink, AuditRecord.PLATFORM_CHAIN).isIntact()).isTrue();
  }

  @Test
  void purgeAll_goesOnAfterAChainFails() {
    TenantId broken = tenant("broken-co", TenantConfiguration.ofTier("free"));
    TenantId fine = tenant("fine-co", TenantConfiguration.ofTier("free"));
    eventsAged(broken, days(100), days(0));
    eventsAged(fine, days(100), days(0));
    AuditSink failing = new ForwardingAuditSink(sink) {
      @Override
      public Stream<AuditRecord> read(String chain, long fromSequence, long toSequence) {
        if (chain.equals(broken.toString())) {
          throw new AuditStorageException("disk on fire");
        }
        return super.read(chain, fromSequence, toSequence);
      }
    };

    List<AuditPurge> purges = AuditRetention.builder().sink(failing).checkpoints(checkpoints).key(KEY)
        .tenants(tenants, resolver).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build().purgeAll();

    assertThat(purges).extracting(AuditPurge::chain, AuditPurge::outcome).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(broken.toString(), AuditPurge.Outcome.FAILED),
        org.assertj.core.groups.Tuple.tuple(fine.toString(), AuditPurge.Outcome.PURGED));
    assertThat(sequences(broken)).containsExactly(1L, 2L);
    assertThat(sequences(fine)).containsExactly(2L);
  }

  @Test
  void erase_removesTheTrailAndItsCheckpoints() {
    TenantId gone = tenant("gone-co", TenantConfiguration.ofTier("free"));
    TenantId other = tenant("other-co", TenantConfiguration.ofTier("free"));
    eventsAged(gone, days(100), days(50), days(0));
    eventsAged(other, days(1), days(0));
    AuditRetention retention = retention().build();
    retention.purge(gone);

    assertThat(retention.erase(gone)).isEqualTo(1);

    assertThat(sink.chains()).containsExactly(other.toString());
    assertThat(checkpoints.checkpoints(gone.toString())).isEmpty();
    assertThat(sequences(other)).containsExactly(1L, 2L);
  }

  @Test
  void builder_refusesNegativeRetention_andMissingParts() {
    assertThatThrownBy(() -> AuditRetention.builder().platformRetention(days(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuditRetention.builder().sink(sink).tenants(tenants, resolver).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("checkpoints(");
    assertThatThrownBy(() -> AuditRetention.builder().sink(sink).checkpoints(checkpoints).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tenants(");
  }

  @Test
  void builtInTiers_keepAuditEventsLongerOnHigherTiers() {
    Map<String, Long> days = Map.of("free", 30L, "pro", 365L, "enterprise", 2_557L);
    days.forEach((tier, expected) -> assertThat(TierCatalog.builtIn().require(tier).limits())
        .containsEntry("auditRetentionDays", expected));
  }

  /** Delegates every call to another sink; tests override what they watch. */
  private static class ForwardingAuditSink implements AuditSink {
    private final AuditSink delegate;

    ForwardingAuditSink(AuditSink delegate) {
      this.delegate = delegate;
    }

    @Override
    public void append(List<AuditRecord> records) {
      delegate.append(records);
    }

    @Override
    public Stream<AuditRecord> read(String chain, long fromSequence, long toSequence) {
      return delegate.read(chain, fromSequence, toSequence);
    }

    @Override
    public Optional<AuditRecord> last(String chain) {
      return delegate.last(chain);
    }

    @Override
    public Set<String> chains() {
      return delegate.chains();
    }

    @Override
    public long deleteBefore(String chain, long beforeSequence) {
      return delegate.deleteBefore(chain, beforeSequence);
    }

    @Override
    public long erase(String chain) {
      return delegate.erase(chain);
    }
  }
}
