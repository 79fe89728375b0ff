/**
 * Tenancy for Jakarta Servlet 6 containers: the {@code TenantFilter} that resolves, checks, limits and scopes every
 * request, RFC 9457 problem+json errors, the admin REST API servlet and the live tenant dashboard.
 */
@NullMarked
package dev.tenancy.servlet;

import org.jspecify.annotations.NullMarked;
