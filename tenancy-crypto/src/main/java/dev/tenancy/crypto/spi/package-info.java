/**
 * What users plug into tenancy-crypto: the {@link dev.tenancy.crypto.spi.KeyEncryptionKeyProvider} (keystore,
 * environment, a KMS) and the {@link dev.tenancy.crypto.spi.TenantKeyStore} for wrapped data keys.
 */
@NullMarked
package dev.tenancy.crypto.spi;

import org.jspecify.annotations.NullMarked;
