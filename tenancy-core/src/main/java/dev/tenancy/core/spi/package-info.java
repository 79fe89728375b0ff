/**
 * Interfaces users implement to plug storage and behaviour into Tenancy: {@link dev.tenancy.core.spi.TenantStore},
 * {@link dev.tenancy.core.spi.ProvisioningStep}, {@link dev.tenancy.core.spi.TenantLifecycleListener} and
 * {@link dev.tenancy.core.spi.ApiKeyStore} (API keys as hashes).
 *
 * <p>Security-relevant implementations are wired explicitly (constructors and builders), never discovered from the
 * class path. Example of a provisioning step:
 *
 * <pre>{@code
 * final class WelcomeLeadStep implements ProvisioningStep {
 *   public String name() { return "welcome-lead"; }
 *   public void provision(Tenant tenant) { leads.insertIfAbsent(WELCOME_LEAD_ID, "Welcome!"); }
 *   public void deprovision(Tenant tenant) { leads.deleteIfPresent(WELCOME_LEAD_ID); }
 * }
 * }</pre>
 */
@NullMarked
package dev.tenancy.core.spi;

import org.jspecify.annotations.NullMarked;
