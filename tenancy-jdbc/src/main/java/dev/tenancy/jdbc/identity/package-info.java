/**
 * {@link dev.tenancy.jdbc.identity.JdbcApiKeyStore}: API keys in PostgreSQL or H2 — metadata and the SHA-256 of each
 * key, never a secret — so that keys survive restarts and a revocation on one instance refuses the key on all.
 *
 * <pre>{@code
 * ApiKeyService keys = ApiKeyService.builder()
 *     .store(JdbcApiKeyStore.builder().dataSource(adminDataSource).build())   // migrates its table
 *     .tenants(tenantService)
 *     .auditLog(auditLog)
 *     .build();
 * }</pre>
 */
@NullMarked
package dev.tenancy.jdbc.identity;

import org.jspecify.annotations.NullMarked;
