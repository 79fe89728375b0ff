package dev.tenancy.redis;

import dev.tenancy.core.quota.QuotaStoreUnavailableException;
import dev.tenancy.core.spi.QuotaStore;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one operation on Redis within the command timeout, and applies the failure policy when Redis cannot answer:
 * every outcome is either Redis's answer, the fallback store's answer (FAIL_OPEN) or a
 * {@link QuotaStoreUnavailableException} (FAIL_CLOSED) — never a raw Lettuce exception.
 */
final class GuardedRedis implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisQuotaStore.class);

  /**
   * One store operation, as Redis runs it and as the fallback store runs it.
   *
   * @param redis sends the operation's single command
   * @param fallback answers the operation from the local fallback store
   */
  record Op<T>(Function<RedisAsyncCommands<String, String>, CompletionStage<T>> redis, Function<QuotaStore, T> fallback) {
  }

  private final RedisConnector connector;
  private final Availability availability;
  private final FailurePolicy policy;
  private final @Nullable QuotaStore fallback;
  private final long timeoutNanos;
  private final long retryMillis;
  private volatile boolean closed;

  GuardedRedis(RedisConnector connector, Availability availability, FailurePolicy policy,
      @Nullable QuotaStore fallback, long timeoutNanos, long retryMillis) {
    this.connector = connector;
    this.availability = availability;
    this.policy = policy;
    this.fallback = fallback;
    this.timeoutNanos = timeoutNanos;
    this.retryMillis = retryMillis;
  }

  /** Runs the operation and waits for its answer on the caller's thread, at most the command timeout. */
  <T> T call(Op<T> op) {
    requireOpen();
    long startedAt = availability.now();
    if (!availability.mayTry(startedAt)) {
      return withoutRedis(op, null);
    }
    CompletableFuture<T> pending = send(op);
    try {
      T value = pending.get(timeoutNanos, TimeUnit.NANOSECONDS);
      availability.succeeded(startedAt);
      return value;
    } catch (ExecutionException e) {
      return failed(op, unwrap(e));
    } catch (TimeoutException e) {
      return failed(op, timedOut());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QuotaStoreUnavailableException(connector.target(),
          "Interrupted while waiting for Redis at " + connector.target() + "; the quota check is denied", e);
    }
  }

  /**
   * Runs the operation without blocking. The stage completes with Redis's answer, the fallback's answer or a
   * {@link QuotaStoreUnavailableException}; the fallback then runs on the thread that completed the stage.
   */
  <T> CompletionStage<T> submit(Op<T> op) {
    requireOpen();
    long startedAt = availability.now();
    if (!availability.mayTry(startedAt)) {
      try {
        return CompletableFuture.completedFuture(withoutRedis(op, null));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return send(op).orTimeout(timeoutNanos, TimeUnit.NANOSECONDS).handle((value, failure) -> {
      if (failure == null) {
        availability.succeeded(startedAt);
        return value;
      }
      Throwable cause = unwrap(failure);
      return failed(op, cause instanceof TimeoutException ? timedOut() : cause);
    });
  }

  private <T> CompletableFuture<T> send(Op<T> op) {
    RedisAsyncCommands<String, String> redis = connector.ready();
    try {
      CompletionStage<T> stage = redis != null ? op.redis().apply(redis) : connector.connect().thenCompose(op.redis());
      return stage.toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private <T> T failed(Op<T> op, Throwable cause) {
    if (isOutage(cause)) {
      availability.failed(cause);
      return withoutRedis(op, cause);
    }
    LOG.error("Redis at {} refused a quota operation: {}", connector.target(), cause.toString());
    if (policy == FailurePolicy.FAIL_OPEN && fallback != null) {
      return op.fallback().apply(fallback);
    }
    String target = connector.target();
    throw new QuotaStoreUnavailableException(target, "Redis at " + target + " refused the operation on this key ("
        + cause + "); the quota check is denied. Another program may write keys under this store's keyPrefix: give "
        + "the store a prefix of its own.", cause);
  }

  /**
   * Whether a failure means Redis as a whole cannot serve (unreachable, timed out, loading, busy, read-only replica,
   * out of memory...), as opposed to an error reply about one key (a key of the wrong type), which must not send every
   * tenant to the failure policy.
   */
  static boolean isOutage(Throwable cause) {
    if (!(cause instanceof RedisCommandExecutionException)
        || cause instanceof RedisBusyException || cause instanceof RedisLoadingException
        || cause instanceof RedisReadOnlyException) {
      return true;
    }
    String message = String.valueOf(cause.getMessage());
    return message.startsWith("OOM") || message.startsWith("MASTERDOWN") || message.startsWith("MISCONF")
        || message.startsWith("NOREPLICAS") || message.startsWith("CLUSTERDOWN") || message.startsWith("TRYAGAIN");
  }

  private <T> T withoutRedis(Op<T> op, @Nullable Throwable cause) {
    if (policy == FailurePolicy.FAIL_OPEN && fallback != null) {
      return op.fallback().apply(fallback);
    }
    String target = connector.target();
    if (cause == null) {
      throw new QuotaStoreUnavailableException(target, "Redis at " + target + " failed recently and the store waits "
          + retryMillis + " ms before trying it again; the quota check is denied (FAIL_CLOSED). Check that Redis is "
          + "running and reachable, or use FailurePolicy.FAIL_OPEN with a fallback store.");
    }
    throw new QuotaStoreUnavailableException(target, "Redis at " + target + " could not answer (" + cause
        + "); the quota check is denied (FAIL_CLOSED). Check that Redis is running and reachable, or use "
        + "FailurePolicy.FAIL_OPEN with a fallback store.", cause);
  }

  private TimeoutException timedOut() {
    return new TimeoutException("Redis at " + connector.target() + " did not answer within "
        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (the store's commandTimeout)");
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** @return whether Redis is considered available (no outage since the last successful call) */
  boolean isAvailable() {
    return availability.isAvailable();
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("This RedisQuotaStore is closed; build a new one to use Redis again");
    }
  }

  @Override
  public void close() {
    closed = true;
    connector.close();
  }
}
