package dev.tenancy.benchmarks.load;

import java.util.EnumMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The request mix a tenant sends: each request is one operation drawn by weight. The default CRUD mix reads more
 * than it writes and deletes about as much as it creates, so a tenant's list stays small and the run is steady.
 */
final class Mix {

  /** The tenant API operations the generator knows. */
  enum Op {
    /** {@code GET /api/v1/me}: the filter and token path without a database query. */
    ME,
    /** {@code GET /api/v1/leads}. */
    LIST,
    /** {@code GET /api/v1/leads/{id}} of a seeded lead. */
    GET,
    /** {@code POST /api/v1/leads}. */
    CREATE,
    /** {@code PUT /api/v1/leads/{id}} of a seeded lead. */
    UPDATE,
    /** {@code DELETE /api/v1/leads/{id}} of a lead this run created (a create when there is none). */
    DELETE
  }

  private final Op[] ops;
  private final int[] cumulative;
  private final int total;
  private final Map<Op, Integer> weights;

  private Mix(Map<Op, Integer> weights) {
    this.weights = new EnumMap<>(weights);
    ops = this.weights.keySet().toArray(new Op[0]);
    cumulative = new int[ops.length];
    int sum = 0;
    for (int i = 0; i < ops.length; i++) {
      sum += this.weights.get(ops[i]);
      cumulative[i] = sum;
    }
    total = sum;
  }

  /** 10 % me, 10 % list, 40 % get, 20 % create, 10 % update, 10 % delete. */
  static Mix crud() {
    return new Mix(Map.of(Op.ME, 10, Op.LIST, 10, Op.GET, 40, Op.CREATE, 20, Op.UPDATE, 10, Op.DELETE, 10));
  }

  /** Only {@code GET /api/v1/me} (the quota-exactness check). */
  static Mix meOnly() {
    return new Mix(Map.of(Op.ME, 1));
  }

  Op pick(RandomGenerator random) {
    int r = random.nextInt(total);
    for (int i = 0; i < ops.length; i++) {
      if (r < cumulative[i]) {
        return ops[i];
      }
    }
    return ops[ops.length - 1];
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    weights.forEach((op, weight) -> text.append(text.length() == 0 ? "" : ", ").append(op.name().toLowerCase(
        java.util.Locale.ROOT)).append(' ').append(weight * 100 / total).append('%'));
    return text.toString();
  }

  static String leadBody(long n) {
    return "{\"name\":\"Lead " + n + "\",\"email\":\"lead" + n + "@example.com\",\"phone\":\"+44 20 7946 "
        + String.format(java.util.Locale.ROOT, "%04d", n % 10_000) + "\",\"notes\":\"load test\"}";
  }
}
