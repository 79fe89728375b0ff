package dev.tenancy.core.audit;

import static dev.tenancy.core.audit.AuditExportFixtures.append;
import static dev.tenancy.core.audit.AuditExportFixtures.export;
import static dev.tenancy.core.audit.AuditExportFixtures.parseCsv;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditExport.Format;
import dev.tenancy.core.memory.InMemoryAuditSink;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditExportCsvTest {

  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
  private static final TenantId ACME = TenantId.random();

  private final InMemoryAuditSink sink = new InMemoryAuditSink();
  private final AuditExport export = AuditExport.builder().sink(sink).build();

  private List<List<String>> exportOne(AuditEvent event) throws IOException {
    append(sink, null, event);
    return parseCsv(export(export, ACME, T0, T0.plusSeconds(60), Format.CSV));
  }

  private static AuditEvent.Builder event() {
    return AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.updated").tenant(ACME).timestamp(T0)
        .actor(AuditActorType.USER, "alice");
  }

  @Test
  void csv_hasTheFixedHeader_andCrlfLineEnds() throws IOException {
    append(sink, null, event().build());

    String text = export(export, ACME, T0, T0.plusSeconds(1), Format.CSV);

    assertThat(text).startsWith("sequence,timestamp,id,tenant,category,action,actor,actorType,resource,outcome,"
        + "traceId,sourceAddress,details,hash\r\n").endsWith("\r\n");
    assertThat(text.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
  }

  @Test
  void csv_rowHoldsEveryPartOfTheRecord() throws IOException {
    AuditRecord record = append(sink, null, event().resource("lead/42").traceId("t-1").sourceAddress("10.0.0.1")
        .detail("field", "status").detail("to", "won").build());

    List<String> row = parseCsv(export(export, ACME, T0, T0.plusSeconds(1), Format.CSV)).get(1);

    assertThat(row).containsExactly("1", "2025-03-01T00:00:00Z", record.event().id(), ACME.toString(),
        "DATA_ACCESS", "lead.updated", "alice", "USER", "lead/42", "SUCCESS", "t-1", "10.0.0.1",
        "{\"field\":\"status\",\"to\":\"won\"}", record.hash());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Smith, Alice", "say \"hi\"", "two\nlines", "two\r\nlines", "\"", ",", "a\rb"})
  void csv_quotesCommasQuotesAndLineBreaks_perRfc4180(String value) throws IOException {
    List<List<String>> rows = exportOne(event().actor(AuditActorType.USER, value).resource(value).build());

    assertThat(rows).hasSize(2);
    assertThat(rows.get(1)).hasSize(14);
    assertThat(rows.get(1).get(6)).isEqualTo(value);
    assertThat(rows.get(1).get(8)).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"=HYPERLINK(\"http://evil.example\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3",
      "@SUM(A1:A9)", "=1,2"})
  void csv_neutralisesFormulas_withALeadingApostrophe(String formula) throws IOException {
    List<List<String>> rows = exportOne(event().actor(AuditActorType.USER, formula).resource(formula)
        .traceId(formula).sourceAddress(formula).build());

    List<String> row = rows.get(1);
    assertThat(row.get(6)).isEqualTo("'" + formula);
    assertThat(row.get(8)).isEqualTo("'" + formula);
    assertThat(row.get(10)).isEqualTo("'" + formula);
    assertThat(row.get(11)).isEqualTo("'" + formula);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\tcmd", "\rcmd", "\ncmd"})
  void csv_neutralisesLeadingTabAndLineBreaks(String value) throws IOException {
    List<List<String>> rows = exportOne(event().actor(AuditActorType.USER, value).build());

    assertThat(rows.get(1).get(6)).isEqualTo("'" + value);
  }

  @Test
  void csv_leavesHarmlessValuesAlone_includingFormulaCharactersInside() throws IOException {
    List<List<String>> rows = exportOne(event().actor(AuditActorType.USER, "a=b+c-d@e").resource("lead/-1").build());

    assertThat(rows.get(1).get(6)).isEqualTo("a=b+c-d@e");
    assertThat(rows.get(1).get(8)).isEqualTo("lead/-1");
  }

  @Test
  void csv_detailsCell_isOneJsonObject_neverAFormula() throws IOException {
    List<List<String>> rows = exportOne(event().detail("note", "=cmd()").detail("other", "x,y").build());

    assertThat(rows.get(1).get(12)).isEqualTo("{\"note\":\"=cmd()\",\"other\":\"x,y\"}");
  }

  @Test
  void field_writesNullAndEmptyAsAnEmptyField() {
    assertThat(AuditCsv.field(new StringBuilder(), null)).isEmpty();
    assertThat(AuditCsv.field(new StringBuilder(), "")).isEmpty();
    assertThat(AuditCsv.field(new StringBuilder(), "=x,\"y\"").toString()).isEqualTo("\"'=x,\"\"y\"\"\"");
  }
}
