/**
 * Per-tenant envelope encryption: AES-256-GCM under per-tenant, versioned data keys wrapped by a key-encryption key;
 * rotation, KEK re-wrapping and crypto-shredding.
 */
@NullMarked
package dev.tenancy.crypto;

import org.jspecify.annotations.NullMarked;
