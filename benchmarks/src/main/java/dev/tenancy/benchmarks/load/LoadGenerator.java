package dev.tenancy.benchmarks.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * An open-loop load generator: every tenant has a schedule of intended send times (a constant interval of
 * {@code 1/rate}, starting at a random phase), fixed before the run and independent of how fast the server answers.
 * One scheduler thread hands each request, when it is due, to a bounded pool of sender threads (Java 17: no virtual
 * threads). Latency is taken from the intended send time, so when the server or the pool falls behind, the waiting
 * counts as latency instead of silently lowering the offered load (coordinated omission).
 */
final class LoadGenerator {

  private final HttpClient http;
  private final int threads;

  LoadGenerator(HttpClient http, int threads) {
    this.http = http;
    this.threads = threads;
  }

  /** A shared client: HTTP/1.1 with keep-alive, as a browser or service client would talk to the app. */
  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /**
   * Drives the tenants for {@code duration} and waits for every request sent in that window to finish.
   *
   * @param instances names of the app instances, indexed like each tenant's targets, for per-instance figures
   */
  LoadRecorder run(List<TenantLoad> tenants, Duration duration, List<String> instances) throws InterruptedException {
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    long end = start + duration.toNanos();
    LoadRecorder recorder = new LoadRecorder(start, (int) Math.max(1, duration.toSeconds()), instances);
    PriorityQueue<Slot> schedule = new PriorityQueue<>((a, b) -> Long.compare(a.next, b.next));
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (TenantLoad tenant : tenants) {
      recorder.register(tenant);
      long interval = (long) (1e9 / tenant.rate());
      schedule.add(new Slot(tenant, interval, start + random.nextLong(interval)));
    }
    ExecutorService pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    try {
      while (!schedule.isEmpty()) {
        Slot slot = schedule.poll();
        if (slot.next >= end) {
          continue;
        }
        long wait = slot.next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        long intended = slot.next;
        TenantLoad tenant = slot.tenant;
        pool.execute(() -> send(tenant, intended, recorder));
        slot.next += slot.interval;
        schedule.add(slot);
      }
    } finally {
      pool.shutdown();
      // Requests already due when the window closed still count: they were offered load.
      if (!pool.awaitTermination(duration.toSeconds() + 120, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    }
    recorder.finish(System.nanoTime());
    return recorder;
  }

  /**
   * Warms the app up closed-loop: {@code requests} requests of the tenants' own mixes, 8 in flight, as fast as the app
   * answers. A time-based warm-up at a low offered rate leaves the app's JIT cold (a few hundred requests per JVM are
   * far below C2's thresholds), which then shows up as the first measured seconds' latency.
   */
  void warmUp(List<TenantLoad> tenants, int requests, List<String> instances) throws InterruptedException {
    LoadRecorder discarded = new LoadRecorder(System.nanoTime(), 1, instances);
    tenants.forEach(discarded::register);
    ExecutorService pool = new ThreadPoolExecutor(8, 8, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    try {
      for (int i = 0; i < requests; i++) {
        TenantLoad tenant = tenants.get(i % tenants.size());
        pool.execute(() -> send(tenant, System.nanoTime(), discarded));
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(10, TimeUnit.MINUTES);
    }
  }

  private void send(TenantLoad tenant, long intended, LoadRecorder recorder) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Mix.Op op = tenant.mix().pick(random);
    @Nullable String deleting = null;
    if (op == Mix.Op.DELETE) {
      deleting = tenant.created().pollFirst();
      if (deleting == null) {
        op = Mix.Op.CREATE;
      }
    }
    if ((op == Mix.Op.GET || op == Mix.Op.UPDATE) && tenant.seedLeads().isEmpty()) {
      op = Mix.Op.ME;
    }
    String seed = tenant.seedLeads().isEmpty() ? "" : tenant.seedLeads().get(random.nextInt(tenant.seedLeads().size()));
    int instance = tenant.nextTarget();
    URI base = tenant.target(instance);
    HttpRequest.Builder request = switch (op) {
      case ME -> get(base, "/api/v1/me");
      case LIST -> get(base, "/api/v1/leads");
      case GET -> get(base, "/api/v1/leads/" + seed);
      case CREATE -> json(base, "/api/v1/leads", "POST", Mix.leadBody(random.nextInt(1_000_000)));
      case UPDATE -> json(base, "/api/v1/leads/" + seed, "PUT", "{\"notes\":\"touched " + random.nextInt() + "\"}");
      case DELETE -> HttpRequest.newBuilder(base.resolve("/api/v1/leads/" + deleting)).DELETE();
    };
    request.header("Authorization", "Bearer " + tenant.token()).timeout(Duration.ofSeconds(30));
    long started = System.nanoTime();
    int status;
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      status = response.statusCode();
      if (op == Mix.Op.CREATE && status == 201) {
        String id = idOf(response.body());
        if (id != null) {
          tenant.created().add(id);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      status = -1;
    }
    recorder.record(tenant, op, instance, status, intended, started, System.nanoTime());
  }

  private static HttpRequest.Builder get(URI base, String path) {
    return HttpRequest.newBuilder(base.resolve(path)).GET();
  }

  private static HttpRequest.Builder json(URI base, String path, String method, String body) {
    return HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body));
  }

  /** The lead's id from a create answer, without a JSON parser on the generator's hot path. */
  static @Nullable String idOf(String body) {
    int at = body.indexOf("\"id\":\"");
    if (at < 0) {
      return null;
    }
    int from = at + 6;
    int to = body.indexOf('"', from);
    return to < 0 ? null : body.substring(from, to);
  }

  /** A tenant's place in the schedule. */
  private static final class Slot {
    final TenantLoad tenant;
    final long interval;
    long next;

    Slot(TenantLoad tenant, long interval, long next) {
      this.tenant = tenant;
      this.interval = interval;
      this.next = next;
    }
  }
}
