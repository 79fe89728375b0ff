package dev.tenancy.core.audit;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.spi.AuditSink;
import java.io.IOException;
import java.io.Writer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports one tenant's audit events from a time range, for compliance audits, as JSON lines or CSV. The export
 * streams: each record is written to the {@link Writer} as it is read from the sink, so a range of any size takes
 * constant memory. The tenant is the chain: a record stored in the tenant's chain that belongs to another tenant
 * (spliced in by someone with access to the store) is never written; it is counted in
 * {@link AuditExportSummary#foreignSkipped()} instead.
 *
 * <p>Formats:
 * <ul>
 *   <li>{@link Format#JSON_LINES}: one canonical JSON object (RFC 8785) per line. Unanonymised, a line is the sealed
 *   record exactly as {@link AuditRecordCodec#toJson(AuditRecord)} writes it (chain, event, hash, mac, previousHash,
 *   sequence): an auditor can recompute every hash and link, and read the file back with
 *   {@link AuditRecordCodec#fromJson}. Anonymised, a line holds only chain, event and sequence: the original hash is
 *   taken over the raw values, so it would let anyone confirm a guessed actor or address.</li>
 *   <li>{@link Format#CSV}: RFC 4180 with the fixed header {@code sequence,timestamp,id,tenant,category,action,actor,
 *   actorType,resource,outcome,traceId,sourceAddress,details,hash} (details as one JSON object; hash empty when
 *   anonymised), CRLF line ends, and fields that a spreadsheet would run as a formula (starting with
 *   {@code = + - @}, tab, CR or LF) prefixed with an apostrophe.</li>
 * </ul>
 *
 * <pre>{@code
 * AuditExport export = AuditExport.builder().sink(sink)
 *     .anonymise(AuditAnonymisation.of("email", "phone"))
 *     .build();
 * try (Writer out = Files.newBufferedWriter(path)) {
 *   AuditExportSummary summary = export.export(tenant, from, to, AuditExport.Format.CSV, out);
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class AuditExport {

  private static final Logger LOG = LoggerFactory.getLogger(AuditExport.class);

  /** The file formats an export writes. */
  public enum Format {
    /** One canonical JSON object per line, {@code \n} line ends (media type {@code application/jsonl}). */
    JSON_LINES,
    /** RFC 4180 comma-separated values with a fixed header, CRLF line ends (media type {@code text/csv}). */
    CSV
  }

  private final AuditSink sink;
  private final @Nullable AuditAnonymisation anonymisation;
  private final SecureRandom random;

  private AuditExport(AuditSink sink, @Nullable AuditAnonymisation anonymisation, SecureRandom random) {
    this.sink = sink;
    this.anonymisation = anonymisation;
    this.random = random;
  }

  /** @return a builder; a sink is required, anonymisation is off unless set */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Writes a tenant's events whose time lies in {@code [from, to)} in chain order. The writer is flushed, not closed.
   * When anonymising, a fresh pseudonym key is drawn for this call and forgotten after it.
   *
   * @param tenant the tenant whose trail is exported
   * @param from the earliest event time, inclusive
   * @param to the latest event time, exclusive
   * @param format the format to write
   * @param out where to write; the caller closes it
   * @return what was written
   * @throws IOException if the writer fails; what was written before stays written
   * @throws IllegalArgumentException if {@code to} is before {@code from}
   * @throws AuditStorageException if the sink cannot be read
   */
  public AuditExportSummary export(TenantId tenant, Instant from, Instant to, Format format, Writer out)
      throws IOException {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(out, "out");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("an export range needs from <= to, was " + from + " .. " + to);
    }
    String chain = tenant.toString();
    Pseudonymiser pseudonymiser = anonymisation == null ? null : Pseudonymiser.withFreshKey(anonymisation, random);
    if (format == Format.CSV) {
      out.write(AuditCsv.header());
    }
    long exported = 0;
    long first = 0;
    long last = 0;
    long foreign = 0;
    try (Stream<AuditRecord> records = sink.readBetween(chain, from, to)) {
      for (Iterator<AuditRecord> it = records.iterator(); it.hasNext(); ) {
        AuditRecord record = it.next();
        if (!record.chain().equals(chain) || !record.event().chain().equals(chain)) {
          foreign++;
          continue;
        }
        Instant time = record.event().timestamp();
        if (time.isBefore(from) || !time.isBefore(to)) {
          // A sink's own time filter is trusted for speed, not for the range: the export checks it again.
          continue;
        }
        out.write(line(record, format, pseudonymiser));
        if (first == 0) {
          first = record.sequence();
        }
        last = record.sequence();
        exported++;
      }
    }
    out.flush();
    if (foreign > 0) {
      LOG.warn("Left {} record(s) of other chains out of the audit export of tenant {}: its stored trail was "
          + "tampered with; run AuditVerifier on chain {}", foreign, chain, chain);
    }
    return new AuditExportSummary(tenant, from, to, format, pseudonymiser != null, exported, first, last, foreign);
  }

  private static String line(AuditRecord record, Format format, @Nullable Pseudonymiser pseudonymiser) {
    if (pseudonymiser == null) {
      return format == Format.CSV ? AuditCsv.row(record.sequence(), record.event(), record.hash())
          : AuditRecordCodec.toJson(record) + "\n";
    }
    AuditEvent event = pseudonymiser.apply(record.event());
    if (format == Format.CSV) {
      return AuditCsv.row(record.sequence(), event, null);
    }
    Map<String, Object> members = CanonicalJson.object();
    members.put("chain", record.chain());
    members.put("event", AuditRecordCodec.eventMembers(event));
    members.put("sequence", record.sequence());
    return CanonicalJson.write(members) + "\n";
  }

  /** Configures an {@link AuditExport}. */
  public static final class Builder {
    private @Nullable AuditSink sink;
    private @Nullable AuditAnonymisation anonymisation;
    private Builder() {
    }

    /**
     * @param sink where the events are stored
     * @return this builder
     */
    public Builder sink(AuditSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * Replaces personal values by pseudonyms that are stable within one export and unlinkable across exports.
     *
     * @param anonymisation what to replace besides actor and source address
     * @return this builder
     */
    public Builder anonymise(AuditAnonymisation anonymisation) {
      this.anonymisation = Objects.requireNonNull(anonymisation, "anonymisation");
      return this;
    }

    /**
     * @return the export
     * @throws IllegalStateException if no sink was set
     */
    public AuditExport build() {
      AuditSink configured = sink;
      if (configured == null) {
        throw new IllegalStateException("AuditExport needs the AuditSink the events are stored in: call sink(…)");
      }
      return new AuditExport(configured, anonymisation, new SecureRandom());
    }
  }
}
