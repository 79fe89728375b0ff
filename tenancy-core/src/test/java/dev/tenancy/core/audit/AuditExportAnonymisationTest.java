package dev.tenancy.core.audit;

import static dev.tenancy.core.audit.AuditExportFixtures.append;
import static dev.tenancy.core.audit.AuditExportFixtures.export;
import static dev.tenancy.core.audit.AuditExportFixtures.parseCsv;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditExport.Format;
import dev.tenancy.core.memory.InMemoryAuditSink;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AuditExportAnonymisationTest {

  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2025-04-01T00:00:00Z");
  private static final TenantId ACME = TenantId.random();
  private static final AuditKey KEY = AuditKey.of(new byte[32]);
  private static final List<String> RAW = List.of("alice@example.com", "203.0.113.7", "alice.private@example.org",
      "+41 79 555 12 34", "user/alice-profile", "bob@example.com", "2001:db8::42", "=HYPERLINK(\"x\")");

  private final InMemoryAuditSink sink = new InMemoryAuditSink();
  private final AuditExport anonymising = AuditExport.builder().sink(sink)
      .anonymise(AuditAnonymisation.of("email", "PHONE").withResource()).build();
  private List<AuditRecord> stored;

  private AuditEvent event(String actor, String address, int second, Map<String, String> details) {
    return AuditEvent.builder(AuditCategory.SECURITY, "auth.login_failed").tenant(ACME)
        .timestamp(T0.plusSeconds(second)).actor(AuditActorType.USER, actor).sourceAddress(address)
        .resource("user/alice-profile").traceId("trace-17").details(details).build();
  }

  private void storeEvents() {
    stored = append(sink, KEY, List.of(
        event("alice@example.com", "203.0.113.7", 1,
            Map.of("Email", "alice.private@example.org", "phone", "+41 79 555 12 34", "reason", "bad_password")),
        event("bob@example.com", "2001:db8::42", 2, Map.of("email", "=HYPERLINK(\"x\")")),
        event("alice@example.com", "203.0.113.7", 3, Map.of("reason", "locked"))));
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void anonymisedExport_containsNoRawSubjectAnywhere(Format format) throws IOException {
    storeEvents();

    String text = export(anonymising, ACME, T0, T1, format);

    for (String raw : RAW) {
      assertThat(text).as("raw value %s", raw).doesNotContain(raw);
    }
    // The stored hash and MAC are taken over the raw values: with them, a guessed e-mail address could be confirmed.
    for (AuditRecord record : stored) {
      assertThat(text).doesNotContain(record.hash()).doesNotContain(record.mac());
    }
    assertThat(text).contains("bad_password", "locked", "auth.login_failed", "trace-17", ACME.toString());
  }

  @Test
  void anonymisedJsonLines_replaceActorAddressListedDetailsAndResource_keepTheRest() throws IOException {
    storeEvents();

    List<AuditEvent> events = jsonEvents(export(anonymising, ACME, T0, T1, Format.JSON_LINES));

    AuditEvent first = events.get(0);
    assertThat(first.actor()).matches("anon-[0-9a-f]{32}");
    assertThat(first.sourceAddress()).matches("anon-[0-9a-f]{32}");
    assertThat(first.resource()).matches("anon-[0-9a-f]{32}");
    assertThat(first.details().get("Email")).matches("anon-[0-9a-f]{32}");
    assertThat(first.details().get("phone")).matches("anon-[0-9a-f]{32}");
    assertThat(first.details()).containsEntry("reason", "bad_password");
    AuditEvent original = stored.get(0).event();
    assertThat(first).usingRecursiveComparison()
        .ignoringFields("actor", "sourceAddress", "resource", "details").isEqualTo(original);
  }

  @Test
  void pseudonyms_areStableWithinAnExport_andDifferInTheNext() throws IOException {
    storeEvents();

    List<AuditEvent> one = jsonEvents(export(anonymising, ACME, T0, T1, Format.JSON_LINES));
    List<AuditEvent> two = jsonEvents(export(anonymising, ACME, T0, T1, Format.JSON_LINES));

    assertThat(one.get(2).actor()).isEqualTo(one.get(0).actor());
    assertThat(one.get(2).sourceAddress()).isEqualTo(one.get(0).sourceAddress());
    assertThat(one.get(1).actor()).isNotEqualTo(one.get(0).actor());
    assertThat(two.get(0).actor()).isEqualTo(two.get(2).actor()).isNotEqualTo(one.get(0).actor());
    assertThat(two.get(0).sourceAddress()).isNotEqualTo(one.get(0).sourceAddress());
    assertThat(two.get(0).details().get("Email")).isNotEqualTo(one.get(0).details().get("Email"));
  }

  @Test
  void anonymisedCsv_usesThePseudonymsOfTheSameExportInEveryColumn() throws IOException {
    storeEvents();

    List<List<String>> rows = parseCsv(export(anonymising, ACME, T0, T1, Format.CSV));

    assertThat(rows).hasSize(4);
    assertThat(rows.get(1).get(6)).matches("anon-[0-9a-f]{32}").isEqualTo(rows.get(3).get(6));
    assertThat(rows.get(1).get(11)).matches("anon-[0-9a-f]{32}");
    assertThat(rows.get(1).get(13)).as("no hash in an anonymised export").isEmpty();
  }

  @Test
  void summary_saysTheExportIsAnonymised() throws IOException {
    storeEvents();

    assertThat(anonymising.export(ACME, T0, T1, Format.CSV, new StringWriter()).anonymised()).isTrue();
  }

  @Test
  void withoutAnonymisation_theRawValuesAreThere_soTheSearchAboveCanFail() throws IOException {
    storeEvents();

    String text = export(AuditExport.builder().sink(sink).build(), ACME, T0, T1, Format.JSON_LINES);

    assertThat(text).contains("alice@example.com", "203.0.113.7", "alice.private@example.org");
  }

  /** Reads the anonymised lines ({@code chain}, {@code event}, {@code sequence}) back into events. */
  private static List<AuditEvent> jsonEvents(String text) {
    return text.lines().map(line -> {
      assertThat(line).doesNotContain("\"hash\"").doesNotContain("\"mac\"").doesNotContain("\"previousHash\"");
      // Re-sealing only to reuse the codec's reader; the hash of this stand-in record means nothing.
      String asRecord = line.substring(0, line.length() - 1) + ",\"hash\":\"" + "0".repeat(64)
          + "\",\"previousHash\":\"" + "0".repeat(64) + "\"}";
      return AuditRecordCodec.fromJson(asRecord).event();
    }).toList();
  }
}
