package dev.tenancy.redis;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Shared fixtures of the Redis store's own tests (the contract itself is the kit in tenancy-test). */
final class QuotaTestData {

  static final int THREADS = 16;
  static final Instant IN_AN_HOUR = Instant.now().plus(1, ChronoUnit.HOURS);

  private QuotaTestData() {
  }

  static String key(String name) {
    return name + ":" + UUID.randomUUID();
  }

  /** Runs {@code perThread} calls on each of {@code threads} threads released together; returns every result. */
  static <T> List<T> hammer(int threads, int perThread, IntFunction<Callable<T>> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<List<T>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<T> task = call.apply(t);
        futures.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          List<T> mine = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            mine.add(task.call());
          }
          return mine;
        }));
      }
      List<T> all = new ArrayList<>();
      for (Future<List<T>> future : futures) {
        all.addAll(future.get(60, TimeUnit.SECONDS));
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}
