/**
 * JMH micro-benchmarks for Tenancy's hot paths, each measured against a bare-JDK baseline in the same run so results
 * are read as ratios rather than as absolute nanoseconds.
 *
 * <p>Nothing here runs during {@code mvn verify}; build the jar and run it by hand:
 *
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar TenantContextBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
 * }</pre>
 */
@NullMarked
package dev.tenancy.benchmarks;

import org.jspecify.annotations.NullMarked;
