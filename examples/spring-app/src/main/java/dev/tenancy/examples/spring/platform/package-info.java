/**
 * The example's only cross-tenant code: creating a new agency's schema on H2. The architecture rules allow
 * {@code TenantContext.asPlatform} here and nowhere else in the app.
 */
@NullMarked
package dev.tenancy.examples.spring.platform;

import org.jspecify.annotations.NullMarked;
