/**
 * Ready ArchUnit rules that keep application code inside the tenant boundary; see {@link dev.tenancy.archunit.TenancyRules}.
 */
package dev.tenancy.archunit;
