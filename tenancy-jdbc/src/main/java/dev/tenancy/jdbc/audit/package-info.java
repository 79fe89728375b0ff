/**
 * {@link dev.tenancy.jdbc.audit.JdbcAuditSink}: the audit trail's hash chains in a PostgreSQL or H2 table, each record
 * stored as the exact canonical JSON its hash was taken over. On PostgreSQL the table is append-only: the application
 * role may only insert and read, a trigger refuses UPDATE, DELETE and TRUNCATE even to the owner, and retention and
 * erasure go through two functions that run as the owner.
 *
 * <pre>{@code
 * JdbcAuditSink sink = JdbcAuditSink.builder()
 *     .dataSource(appPool)                      // plain pool of the app role, not TenantAwareDataSource
 *     .migrationDataSource(ownerDataSource)     // creates table, trigger and functions as their owner, then grants
 *     .build();                                 // the app role INSERT, SELECT and EXECUTE on the functions only
 * AuditVerification result = AuditVerifier.builder().key(key).checkpoints(checkpoints).build()
 *     .verify(sink, tenantId.toString());
 * }</pre>
 */
@NullMarked
package dev.tenancy.jdbc.audit;

import org.jspecify.annotations.NullMarked;
