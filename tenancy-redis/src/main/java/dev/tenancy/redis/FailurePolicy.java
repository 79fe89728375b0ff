package dev.tenancy.redis;

import dev.tenancy.core.quota.QuotaStoreUnavailableException;

/**
 * What a {@link RedisQuotaStore} answers while Redis is unreachable or too slow.
 */
public enum FailurePolicy {

  /**
   * Every operation throws {@link QuotaStoreUnavailableException}, so the caller denies the request: no tenant can
   * exceed a limit during an outage, and no tenant is served either. The default, because a limit is a guard.
   */
  FAIL_CLOSED,

  /**
   * Every operation is answered by the local fallback store given to the builder (for example an in-memory store):
   * requests keep flowing, and each app instance enforces the limits on its own. With N instances a tenant can use up
   * to N times its limit until Redis is back; what was counted locally is not copied to Redis afterwards.
   */
  FAIL_OPEN
}
