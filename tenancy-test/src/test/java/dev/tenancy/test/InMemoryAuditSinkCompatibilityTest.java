package dev.tenancy.test;

import dev.tenancy.core.memory.InMemoryAuditSink;
import dev.tenancy.core.spi.AuditSink;

/** The in-memory sink passes the kit it is the reference for. */
class InMemoryAuditSinkCompatibilityTest extends AuditSinkCompatibilityKit {

  @Override
  protected AuditSink newSink() {
    return new InMemoryAuditSink();
  }
}
