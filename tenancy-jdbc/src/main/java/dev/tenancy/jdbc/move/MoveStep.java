package dev.tenancy.jdbc.move;

/**
 * The steps of a {@link TenantMover move}, in the order they run. Until {@link #RESTORE} has stored the tenant's
 * status again the move can be undone, and a failure undoes it: the tenant serves from its original place with its
 * original status, and what the move made in the target is removed.
 */
public enum MoveStep {
  /**
   * The tenant is suspended (if it was serving) so nothing writes to it during the move, and the mover waits the
   * drain period for requests in flight and for other instances to see the suspension.
   */
  SUSPEND,
  /** The target place is made: nothing for shared tables, a migrated schema or database for the other tiers. */
  PREPARE,
  /** The tenant's rows are copied from the source to the target in foreign-key order, in one target transaction. */
  COPY,
  /** Row counts and checksums of every table are compared in the source and the target; they must be equal. */
  VERIFY,
  /** The shard directory is switched from the source to the target with a compare-and-set. */
  SWITCH,
  /**
   * After the directory's propagation delay, and after checking that the source did not change since
   * {@link #VERIFY}, the old copy is taken out of reach in a way that can still be undone (shared tables: rows
   * deleted in a transaction kept open; schema: renamed aside; database: closed to connections).
   */
  PURGE,
  /**
   * The tenant's original status is stored again: the move is committed, and the old copy is then erased for good
   * (the transaction committed, the schema or database dropped).
   */
  RESTORE
}
