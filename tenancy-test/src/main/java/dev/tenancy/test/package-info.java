/**
 * Compatibility kits: abstract JUnit 5 classes that every implementation of a Tenancy SPI extends — ours and yours —
 * so that all of them keep the same promises (atomic slug claims, optimistic locking, ordering, paging, API keys kept
 * exactly and revoked for good).
 *
 * <pre>{@code
 * class MyTenantStoreCompatibilityTest extends TenantStoreCompatibilityKit {
 *   @Override
 *   protected TenantStore newStore() {
 *     return new MyTenantStore(freshDatabase());
 *   }
 * }
 * }</pre>
 */
@NullMarked
package dev.tenancy.test;

import org.jspecify.annotations.NullMarked;
