package dev.tenancy.servlet.admin;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.audit.AuditAnonymisation;
import dev.tenancy.core.audit.AuditExport;
import dev.tenancy.core.audit.AuditExportSummary;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.audit.AuditVerification;
import dev.tenancy.core.audit.AuditVerifier;
import dev.tenancy.core.spi.AuditSink;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The audit rows: a tenant's trail exported as a stream, and a chain verified. */
final class AuditHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(AuditHandlers.class);

  private final TenantHandlers lookup;
  private final @Nullable AuditLog log;
  private final @Nullable AuditSink sink;
  private final AuditVerifier verifier;
  private final AuditAnonymisation anonymisation;
  private final Clock clock;

  AuditHandlers(TenantHandlers lookup, @Nullable AuditLog log, @Nullable AuditSink sink, AuditVerifier verifier,
      AuditAnonymisation anonymisation, Clock clock) {
    this.lookup = lookup;
    this.log = log;
    this.sink = sink;
    this.verifier = verifier;
    this.anonymisation = anonymisation;
    this.clock = clock;
  }

  void export(Exchange call, String id) throws IOException {
    call.operation("audit_export");
    AuditSink store = OperationHandlers.require(sink, "The audit trail", "audit");
    Tenant tenant = lookup.require(call, id);
    Instant from = instant(call, "from", Instant.EPOCH);
    // Exclusive end: a second ahead of now takes in everything recorded up to this call.
    Instant to = instant(call, "to", clock.instant().plusSeconds(1));
    if (to.isBefore(from)) {
      throw AdminException.validation("to", "must not be before from");
    }
    String formatText = call.param("format");
    AuditExport.Format format;
    if (formatText == null || formatText.equalsIgnoreCase("jsonl")) {
      format = AuditExport.Format.JSON_LINES;
    } else if (formatText.equalsIgnoreCase("csv")) {
      format = AuditExport.Format.CSV;
    } else {
      throw AdminException.validation("format", "must be jsonl or csv, was '" + Fields.clip(formatText) + "'");
    }
    boolean anonymise = call.boolParam("anonymize", false);
    if (log != null) {
      log.flush();
    }
    AuditExport.Builder builder = AuditExport.builder().sink(store);
    if (anonymise) {
      builder.anonymise(anonymisation);
    }
    call.status(200);
    call.response.setStatus(200);
    call.response.setContentType(format == AuditExport.Format.CSV ? "text/csv" : "application/jsonl");
    call.response.setCharacterEncoding("UTF-8");
    call.response.setHeader("Cache-Control", "no-store");
    call.response.setHeader("Content-Disposition", "attachment; filename=\"audit-" + tenant.slug().value()
        + (format == AuditExport.Format.CSV ? ".csv" : ".jsonl") + "\"");
    // Streams: each record goes to the response as it is read, so a trail of any size takes constant memory.
    Writer out = new OutputStreamWriter(call.response.getOutputStream(), StandardCharsets.UTF_8);
    AuditExportSummary summary = builder.build().export(tenant.id(), from, to, format, out);
    out.flush();
    if (summary.foundForeignRecords()) {
      LOG.warn("Audit export of tenant {} left out {} record(s) of other chains (trace {})", tenant.id(),
          summary.foreignSkipped(), call.traceId);
    }
  }

  private static Instant instant(Exchange call, String name, Instant fallback) {
    String value = call.param(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw AdminException.validation(name, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, was '"
          + Fields.clip(value) + "'");
    }
  }

  void verify(Exchange call) throws IOException {
    call.operation("audit_verify");
    AuditSink store = OperationHandlers.require(sink, "The audit trail", "audit");
    String tenantParam = call.param("tenant");
    String chain = AuditRecord.PLATFORM_CHAIN;
    if (tenantParam != null) {
      chain = lookup.require(call, tenantParam).id().toString();
    }
    if (log != null) {
      log.flush();
    }
    AuditVerification result = verifier.verify(store, chain);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("chain", chain);
    json.put("valid", result.isIntact());
    json.put("events", result.verified());
    json.put("head", head(store, chain, result.lastSequence()));
    if (!result.isIntact()) {
      json.put("problem", result.problem().name());
      json.put("firstBadPosition", result.problemSequence());
      json.put("detail", detail(result));
    }
    call.json(200, json);
  }

  /** The hash of the last sound record: what a later verification must reach again. */
  private static String head(AuditSink store, String chain, long sequence) {
    if (sequence < 1) {
      return AuditRecord.GENESIS;
    }
    try (Stream<AuditRecord> records = store.read(chain, sequence, sequence)) {
      return records.findFirst().map(AuditRecord::hash).orElse(AuditRecord.GENESIS);
    }
  }

  /** The verifier's sentence, except where it could name another chain (a tenant) or quote unparsable content. */
  private static String detail(AuditVerification result) {
    return switch (result.problem()) {
      case FOREIGN -> "the record at position " + result.problemSequence() + " belongs to another chain: it was "
          + "copied in from another trail";
      case UNREADABLE -> "the record at position " + result.problemSequence() + " cannot be read back (see the "
          + "server log)";
      default -> result.detail();
    };
  }

  static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
