/**
 * A {@link dev.tenancy.core.spi.QuotaStore} on Redis (Lettuce): quotas, rate limits and leases that any number of app
 * instances share exactly, one atomic Lua script per check, with a failure policy for when Redis is away.
 *
 * <pre>{@code
 * RedisQuotaStore store = RedisQuotaStore.builder()
 *     .uri("redis://redis.internal:6379")
 *     .keyPrefix("billing:")
 *     .commandTimeout(Duration.ofMillis(200))
 *     .failurePolicy(FailurePolicy.FAIL_OPEN)       // keep serving during an outage ...
 *     .fallback(localStore)                        // ... limited per instance by this local store
 *     .listener(new RedisAvailabilityListener() {
 *       @Override
 *       public void onUnavailable(String target, Throwable cause) {
 *         alerts.raise("quota store down: " + target);
 *       }
 *     })
 *     .build();
 *
 * CounterUpdate update = store.addIfWithin("acme:api-calls:2026-02", 1, 100_000, endOfMonth);
 * store.acquireAsync("acme:rate", Duration.ofMillis(10), Duration.ofMillis(190), 1)   // 100/s, burst 20
 *     .thenAccept(decision -> respond(decision.allowed()));
 * }</pre>
 */
@NullMarked
package dev.tenancy.redis;

import org.jspecify.annotations.NullMarked;
