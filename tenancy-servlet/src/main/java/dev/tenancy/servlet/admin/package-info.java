/**
 * The admin REST API of Tenancy ({@code /api/v1/admin/*}): {@link dev.tenancy.servlet.admin.TenantAdminServlet}.
 *
 * <pre>{@code
 * TenantAdminServlet admin = TenantAdminServlet.builder()
 *     .tenants(tenantService)
 *     .apiKeys(apiKeyService)
 *     .quotas(quotaManager)
 *     .audit(auditLog, auditSink)
 *     .build();
 * context.addServlet(new ServletHolder(admin), "/api/v1/admin/*");
 * }</pre>
 */
@NullMarked
package dev.tenancy.servlet.admin;

import org.jspecify.annotations.NullMarked;
