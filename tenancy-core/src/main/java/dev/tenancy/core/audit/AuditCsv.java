package dev.tenancy.core.audit;

import java.util.List;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One audit event as one CSV row: RFC 4180 (comma separated, CRLF line ends, a field quoted when it holds a comma,
 * a quote, CR or LF, quotes doubled), with spreadsheet formula injection neutralised: a field that starts with
 * {@code = + - @}, tab, CR or LF gets a leading apostrophe, so Excel, LibreOffice and Google Sheets show it as text
 * instead of running it ({@code =HYPERLINK(…)} in an actor name is the classic attack on whoever opens the export).
 */
final class AuditCsv {

  static final List<String> HEADER = List.of("sequence", "timestamp", "id", "tenant", "category", "action", "actor",
      "actorType", "resource", "outcome", "traceId", "sourceAddress", "details", "hash");
  static final String LINE_END = "\r\n";

  private AuditCsv() {
  }

  static String header() {
    return String.join(",", HEADER) + LINE_END;
  }

  /**
   * @param sequence the record's position
   * @param event the event as exported (anonymised or not)
   * @param hash the record's hash, or {@code null} when it must not be shown (anonymised exports)
   * @return the row, with its line end
   */
  static String row(long sequence, AuditEvent event, @Nullable String hash) {
    StringBuilder row = new StringBuilder(256);
    field(row, Long.toString(sequence)).append(',');
    field(row, event.timestamp().toString()).append(',');
    field(row, event.id()).append(',');
    field(row, event.tenant() == null ? null : event.tenant().toString()).append(',');
    field(row, event.category().name()).append(',');
    field(row, event.action()).append(',');
    field(row, event.actor()).append(',');
    field(row, event.actorType().name()).append(',');
    field(row, event.resource()).append(',');
    field(row, event.outcome().name()).append(',');
    field(row, event.traceId()).append(',');
    field(row, event.sourceAddress()).append(',');
    // The details as one canonical JSON object: a fixed header cannot have a column per free-form key.
    field(row, event.details().isEmpty() ? null : CanonicalJson.write(new TreeMap<>(event.details()))).append(',');
    field(row, hash);
    return row.append(LINE_END).toString();
  }

  /** Appends one field, neutralised and quoted as needed; {@code null} is an empty field. */
  static StringBuilder field(StringBuilder row, @Nullable String value) {
    if (value == null || value.isEmpty()) {
      return row;
    }
    String text = startsLikeFormula(value) ? "'" + value : value;
    if (!needsQuotes(text)) {
      return row.append(text);
    }
    row.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        row.append('"');
      }
      row.append(c);
    }
    return row.append('"');
  }

  private static boolean startsLikeFormula(String value) {
    char first = value.charAt(0);
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
        || first == '\n';
  }

  private static boolean needsQuotes(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        return true;
      }
    }
    return false;
  }
}
