/**
 * Health checks per tenant and across the platform: the same checks answer the admin API's health endpoints and
 * verify, after a platform restore, that every tenant's data is consistent and isolated.
 *
 * <p>A check is a {@link dev.tenancy.core.spi.TenantHealthCheck}; core brings {@link
 * dev.tenancy.core.health.AuditChainCheck}, tenancy-jdbc a row-ownership check and tenancy-crypto a data-key check.
 * {@link dev.tenancy.core.health.TenantHealthChecks} runs them with bounded parallelism and a time limit per check.
 *
 * <pre>{@code
 * TenantHealthChecks checks = TenantHealthChecks.builder()
 *     .tenants(tenantService)
 *     .check(AuditChainCheck.builder().sink(auditSink).checkpoints(checkpoints).key(auditKey).build())
 *     .build();
 * TenantHealth one = checks.check(tenantId);            // GET /api/v1/admin/tenants/{id}/health
 * PlatformHealth platform = checks.checkPlatform();     // GET /api/v1/admin/health
 * PlatformVerification report = checks.verifyPlatform();  // after a restore: every tenant, failing first
 * System.out.println(report);
 * }</pre>
 */
@NullMarked
package dev.tenancy.core.health;

import org.jspecify.annotations.NullMarked;
