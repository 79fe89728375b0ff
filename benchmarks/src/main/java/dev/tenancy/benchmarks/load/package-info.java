/**
 * HTTP load scenarios against the example app ({@code examples/admin-app}): an open-loop load generator that
 * provisions tenants through the admin API and drives the tenant API, recording latency from each request's intended
 * send time with HdrHistogram (so a slow server cannot hide its queueing by slowing the generator down).
 *
 * <p>Run from the shaded jar, never from {@code mvn verify}:
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.tenancy.benchmarks.load.LoadScenarios crud --quick --out target/load
 * }</pre>
 */
@NullMarked
package dev.tenancy.benchmarks.load;

import org.jspecify.annotations.NullMarked;
