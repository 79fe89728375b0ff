/**
 * The Spring Boot CRM example: tenant-scoped leads over Spring MVC and {@code JdbcClient}, with every tenancy
 * behaviour from the starter.
 *
 * <pre>{@code
 * GET /api/v1/leads            Authorization: Bearer <tenant token>
 * -> only the calling agency's leads: the DataSource is bound to its tenant, the database does the filtering
 * }</pre>
 */
@NullMarked
package dev.tenancy.examples.spring;

import org.jspecify.annotations.NullMarked;
