/**
 * Per-tenant envelope encryption: AES-256-GCM under per-tenant, versioned data keys wrapped by a key-encryption key;
 * rotation, KEK re-wrapping and crypto-shredding.
 *
 * <pre>{@code
 * KeyEncryptionKeyProvider kek = KeystoreKekProvider.open(Path.of("/etc/app/kek.p12"), password, "kek-1");
 * TenantKeys keys = TenantKeys.builder(kek, new InMemoryTenantKeyStore()).build();
 * TenantService tenants = TenantService.builder()
 *     .store(tenantStore).resolver(resolver)
 *     .step(new DataKeyProvisioningStep(keys))      // first key on create, crypto-shred on purge
 *     .build();
 * TenantCipher cipher = TenantCipher.of(keys);
 * String column = cipher.encryptString(tenant, "leads.email", "ada@example.com");
 * String email = cipher.decryptString(tenant, "leads.email", column);
 * }</pre>
 */
@NullMarked
package dev.tenancy.crypto;

import org.jspecify.annotations.NullMarked;
