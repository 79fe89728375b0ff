/**
 * The in-memory {@link dev.tenancy.crypto.spi.TenantKeyStore}, for tests, demos and a single instance.
 */
@NullMarked
package dev.tenancy.crypto.memory;

import org.jspecify.annotations.NullMarked;
