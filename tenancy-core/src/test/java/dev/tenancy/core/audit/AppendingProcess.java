package dev.tenancy.core.audit;

import dev.tenancy.core.TenantId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link JsonLinesAuditSinkKillTest}: appends batches to a tenant's chain and the platform chain
 * through a {@link JsonLinesAuditSink} until it is killed, and prints {@code ack <tenant sequence> <platform sequence>}
 * on standard output after each {@code append} has returned, i.e. once the batch is acknowledged as durable.
 */
final class AppendingProcess {

  private static final int MAX_BATCHES = 100_000;

  private AppendingProcess() {
  }

  /**
   * @param args the sink's directory and the tenant id
   */
  public static void main(String[] args) {
    TenantId tenant = TenantId.of(args[1]);
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.builder().directory(Path.of(args[0]))
        .maxSegmentBytes(256 * 1024).build()) {
      AuditRecord tenantHead = sink.last(tenant.toString()).orElse(null);
      AuditRecord platformHead = sink.last(AuditRecord.PLATFORM_CHAIN).orElse(null);
      System.out.println("ready");
      System.out.flush();
      for (int batch = 0; batch < MAX_BATCHES; batch++) {
        List<AuditRecord> tenantRecords = AuditChains.chain(tenant, tenantHead, 40, AuditChains.KEY);
        List<AuditRecord> platformRecords = AuditChains.chain(null, platformHead, 3, AuditChains.KEY);
        List<AuditRecord> records = new ArrayList<>(tenantRecords);
        records.addAll(platformRecords);
        sink.append(records);
        tenantHead = tenantRecords.get(tenantRecords.size() - 1);
        platformHead = platformRecords.get(platformRecords.size() - 1);
        System.out.println("ack " + tenantHead.sequence() + " " + platformHead.sequence());
        System.out.flush();
      }
    }
  }
}
