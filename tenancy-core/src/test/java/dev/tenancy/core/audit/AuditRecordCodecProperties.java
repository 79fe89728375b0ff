package dev.tenancy.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.TenantId;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.jspecify.annotations.Nullable;

/** Any record, with any Unicode text in every text field, survives the trip through its stored JSON line. */
class AuditRecordCodecProperties {

  @Property(tries = 1000)
  void toJsonThenFromJson_givesTheSameRecord_whoseHashStillMatches(
      @ForAll("text") String id, @ForAll("text") String actor, @ForAll("action") String action,
      @ForAll("optionalText") @Nullable String resource, @ForAll("optionalText") @Nullable String traceId,
      @ForAll("optionalText") @Nullable String sourceAddress, @ForAll("details") Map<String, String> details,
      @ForAll("tenant") @Nullable TenantId tenant, @ForAll AuditCategory category, @ForAll AuditActorType actorType,
      @ForAll AuditOutcome outcome, @ForAll("instant") Instant timestamp, @ForAll("sequence") long sequence,
      @ForAll("hash") String previousHash, @ForAll boolean keyed) {
    AuditEvent event = new AuditEvent(id, timestamp, tenant, category, action, actor, actorType, resource, outcome,
        traceId, sourceAddress, details);
    AuditRecord record = AuditRecord.seal(event, sequence, previousHash, keyed ? AuditFixtures.KEY : null);

    String json = AuditRecordCodec.toJson(record);
    AuditRecord back = AuditRecordCodec.fromJson(json);

    assertThat(json).doesNotContain("\n", "\r");
    assertThat(back).isEqualTo(record);
    assertThat(back.hashMatches()).isTrue();
    assertThat(back.macMatches(AuditFixtures.KEY)).isEqualTo(keyed);
    assertThat(AuditRecordCodec.toJson(back)).isEqualTo(json);
  }

  /** Unicode scalar values of every kind: ASCII (controls included), the rest of the BMP, the supplementary planes. */
  @Provide
  Arbitrary<String> text() {
    Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.integers().between(0, 0x7f)),
        Tuple.of(3, Arbitraries.integers().between(0x80, 0xffff)
            .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)),
        Tuple.of(2, Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT)));
    return codePoint.list().ofMinSize(1).ofMaxSize(30)
        .map(AuditRecordCodecProperties::fromCodePoints)
        .filter(text -> !text.isBlank());
  }

  @Provide
  Arbitrary<String> optionalText() {
    return text().injectNull(0.3);
  }

  @Provide
  Arbitrary<String> action() {
    return Arbitraries.strings().withCharRange('a', 'z').withChars('_', '0', '9').ofMinLength(1).ofMaxLength(8)
        .filter(word -> Character.isLetter(word.charAt(0)))
        .list().ofMinSize(1).ofMaxSize(3).map(words -> String.join(".", words));
  }

  @Provide
  Arbitrary<Map<String, String>> details() {
    return Arbitraries.maps(text(), text()).ofMaxSize(6);
  }

  @Provide
  Arbitrary<TenantId> tenant() {
    return Arbitraries.create(TenantId::random).injectNull(0.3);
  }

  @Provide
  Arbitrary<Instant> instant() {
    // Year 0001 to 9999: what an ISO instant and every sink's timestamp column hold.
    return Arbitraries.longs().between(-62_135_596_800_000_000L, 253_402_300_799_999_999L)
        .map(micros -> Instant.EPOCH.plusSeconds(Math.floorDiv(micros, 1_000_000L))
            .plusNanos(Math.floorMod(micros, 1_000_000L) * 1000L));
  }

  @Provide
  Arbitrary<Long> sequence() {
    return Arbitraries.longs().between(1, AuditRecord.MAX_SEQUENCE);
  }

  @Provide
  Arbitrary<String> hash() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32).map(bytes -> HexFormat.of().formatHex(bytes));
  }

  private static String fromCodePoints(List<Integer> codePoints) {
    StringBuilder text = new StringBuilder();
    codePoints.forEach(text::appendCodePoint);
    return text.toString();
  }
}
