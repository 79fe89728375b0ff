package dev.tenancy.jdbc;

/**
 * What binding connections to tenants has cost so far: the evidence that a same-tenant re-checkout is free and a
 * tenant switch costs exactly one statement.
 *
 * @param checkouts connections handed out
 * @param bindingStatements statements sent to the database to bind a connection (one round trip each)
 * @param reusedBindings checkouts that found the physical connection already bound to the right tenant (no round trip)
 */
public record BindingStatistics(long checkouts, long bindingStatements, long reusedBindings) {

  /**
   * The sum of two sets of counters, for strategies made of several (shards).
   *
   * @param other more counters
   * @return the sum
   */
  public BindingStatistics plus(BindingStatistics other) {
    return new BindingStatistics(checkouts + other.checkouts, bindingStatements + other.bindingStatements,
        reusedBindings + other.reusedBindings);
  }
}
