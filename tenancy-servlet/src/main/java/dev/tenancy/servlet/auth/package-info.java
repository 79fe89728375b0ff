/**
 * {@link dev.tenancy.servlet.auth.AuthTokenServlet}: {@code POST /api/v1/auth/token} exchanges an API key for a
 * short-lived bearer token.
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(AuthTokenServlet.builder()
 *     .apiKeys(apiKeyService).tokens(tokenService).build()), "/api/v1/auth/token");
 * }</pre>
 */
@NullMarked
package dev.tenancy.servlet.auth;

import org.jspecify.annotations.NullMarked;
