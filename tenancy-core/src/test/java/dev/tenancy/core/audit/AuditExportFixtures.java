package dev.tenancy.core.audit;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.spi.AuditSink;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Test fixtures: events, chains sealed into a sink, CSV read back. */
final class AuditExportFixtures {

  private AuditExportFixtures() {
  }

  static AuditEvent event(@Nullable TenantId tenant, Instant at, String actor) {
    return AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.read").tenant(tenant).timestamp(at)
        .actor(AuditActorType.USER, actor).resource("lead/42").sourceAddress("198.51.100.9").build();
  }

  /** Seals the events after what the sink already holds, chain by chain, and appends them in one batch. */
  static List<AuditRecord> append(AuditSink sink, @Nullable AuditKey key, List<AuditEvent> events) {
    Map<String, AuditRecord> heads = new HashMap<>();
    List<AuditRecord> sealed = new ArrayList<>();
    for (AuditEvent event : events) {
      AuditRecord head = heads.computeIfAbsent(event.chain(), chain -> sink.last(chain).orElse(null));
      AuditRecord record = head == null ? AuditRecord.seal(event, 1, AuditRecord.GENESIS, key)
          : AuditRecord.seal(event, head.sequence() + 1, head.hash(), key);
      heads.put(event.chain(), record);
      sealed.add(record);
    }
    sink.append(sealed);
    return sealed;
  }

  static AuditRecord append(AuditSink sink, @Nullable AuditKey key, AuditEvent event) {
    return append(sink, key, List.of(event)).get(0);
  }

  static String export(AuditExport export, TenantId tenant, Instant from, Instant to, AuditExport.Format format)
      throws IOException {
    StringWriter out = new StringWriter();
    export.export(tenant, from, to, format, out);
    return out.toString();
  }

  /** Reads RFC 4180 text back into rows of fields, so tests check what a spreadsheet would see. */
  static List<List<String>> parseCsv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        if (field.length() != 0) {
          throw new IllegalArgumentException("a quote inside an unquoted field at " + i);
        }
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else if (c == '\r' || c == '\n') {
        throw new IllegalArgumentException("a bare line break outside quotes at " + i);
      } else {
        field.append(c);
      }
    }
    if (quoted || field.length() != 0 || !row.isEmpty()) {
      throw new IllegalArgumentException("the text does not end with CRLF after a complete row");
    }
    return rows;
  }
}
