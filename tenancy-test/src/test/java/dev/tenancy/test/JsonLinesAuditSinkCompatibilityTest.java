package dev.tenancy.test;

import dev.tenancy.core.audit.JsonLinesAuditSink;
import dev.tenancy.core.spi.AuditSink;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The JSON-lines file sink passes the kit: with fsync on, and small segments so that chains span several files. */
class JsonLinesAuditSinkCompatibilityTest extends AuditSinkCompatibilityKit {

  @TempDir
  Path directory;

  @Override
  protected AuditSink newSink() {
    return JsonLinesAuditSink.builder().directory(directory).maxSegmentBytes(2_000).build();
  }

  @AfterEach
  void closeSink() {
    ((JsonLinesAuditSink) sink).close();
  }
}
