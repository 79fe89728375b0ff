package dev.tenancy.jdbc.move;

/**
 * Hears every line of every move's journal as it happens — to keep an audit trail, show progress, or page an operator
 * when an undo fails. A listener that throws is logged and ignored: it never changes how a move ends.
 *
 * <pre>{@code
 * TenantMover mover = TenantMover.builder(sharded, directory, tenants)
 *     .listener(event -> auditLog.record("tenant.move", event.tenant(), event.toString()))
 *     ...
 * }</pre>
 */
@FunctionalInterface
public interface MoveListener {

  /**
   * Called on the moving thread, in order, for each journal line.
   *
   * @param event the line
   */
  void onEvent(MoveEvent event);
}
