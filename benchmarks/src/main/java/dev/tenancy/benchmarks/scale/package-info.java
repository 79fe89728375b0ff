/**
 * Scenario (c) of the performance-at-scale work: thousands of tenants provisioned through the library on PostgreSQL,
 * and what they cost the library once idle (heap per tenant, CPU per request); plus {@link
 * dev.tenancy.benchmarks.scale.RunAllReport}, the table {@code benchmarks/run-all} prints. Main classes, run by hand
 * from {@code benchmarks/target/benchmarks.jar}; nothing here runs during {@code mvn verify}.
 */
@NullMarked
package dev.tenancy.benchmarks.scale;

import org.jspecify.annotations.NullMarked;
