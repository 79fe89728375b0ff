/**
 * The live tenant dashboard: one static HTML page with plain JavaScript and CSS that reads the admin REST API with a
 * platform-admin token. No build step and nothing loaded from another origin, so it works on closed networks and under
 * a strict Content-Security-Policy.
 *
 * <p>Mount it next to the admin API:
 *
 * <pre>{@code
 * ServletContextHandler context = ...;
 * context.addServlet(new ServletHolder(TenantDashboardServlet.builder()
 *     .apiBasePath("/api/v1")
 *     .pollInterval(Duration.ofSeconds(3))
 *     .build()), "/admin/*");
 * }</pre>
 */
@NullMarked
package dev.tenancy.servlet.dashboard;

import org.jspecify.annotations.NullMarked;
