/**
 * The tamper-evident audit trail: {@link dev.tenancy.core.audit.AuditEvent}s, recorded off the caller's thread by an
 * {@link dev.tenancy.core.audit.AuditLog} and sealed into one hash chain per tenant
 * ({@link dev.tenancy.core.audit.AuditRecord}: sequence, previous hash, SHA-256 over canonical JSON, optional
 * HMAC with an {@link dev.tenancy.core.audit.AuditKey}), stored by an {@link dev.tenancy.core.spi.AuditSink},
 * anchored by {@link dev.tenancy.core.audit.AuditCheckpoint}s kept outside the store, and checked by the
 * {@link dev.tenancy.core.audit.AuditVerifier}, which names the first bad position.
 *
 * <pre>{@code
 * AuditLog audit = AuditLog.builder().sink(sink).key(key).checkpoints(checkpointStore).build();
 * audit.record(AuditEvent.builder(AuditCategory.SECURITY, "auth.login_failed").tenant(tenant).build());
 * audit.close();                     // everything recorded is stored, every chain checkpointed
 *
 * AuditVerifier verifier = AuditVerifier.builder().key(key).checkpoints(checkpointStore).build();
 * AuditVerification result = verifier.verify(sink, tenant.toString());
 * }</pre>
 */
@NullMarked
package dev.tenancy.core.audit;

import org.jspecify.annotations.NullMarked;
