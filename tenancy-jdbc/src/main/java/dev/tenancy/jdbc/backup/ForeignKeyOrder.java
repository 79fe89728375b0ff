package dev.tenancy.jdbc.backup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Orders tables parents first (Kahn's algorithm, ties by name so the order is stable from run to run). */
final class ForeignKeyOrder {

  /** A foreign key of {@code child} referencing {@code parent}. */
  record Edge(String child, String parent, boolean deferrable) {
  }

  private ForeignKeyOrder() {
  }

  /**
   * @throws ForeignKeyCycleException if non-deferrable keys form a cycle (a deferrable key is checked at commit, so it
   *     does not constrain the order — the copy defers such constraints)
   */
  static List<String> sort(Collection<String> tables, List<Edge> edges) {
    Map<String, Set<String>> parents = new HashMap<>();
    Map<String, Set<String>> children = new HashMap<>();
    for (String table : tables) {
      parents.put(table, new HashSet<>());
      children.put(table, new HashSet<>());
    }
    for (Edge edge : edges) {
      if (edge.deferrable()) {
        continue;
      }
      if (edge.child().equals(edge.parent())) {
        throw new ForeignKeyCycleException(List.of(edge.child()));
      }
      parents.get(edge.child()).add(edge.parent());
      children.get(edge.parent()).add(edge.child());
    }
    TreeSet<String> ready = new TreeSet<>();
    parents.forEach((table, of) -> {
      if (of.isEmpty()) {
        ready.add(table);
      }
    });
    List<String> ordered = new ArrayList<>();
    while (!ready.isEmpty()) {
      String next = ready.pollFirst();
      ordered.add(next);
      for (String child : children.get(next)) {
        Set<String> remaining = parents.get(child);
        remaining.remove(next);
        if (remaining.isEmpty()) {
          ready.add(child);
        }
      }
    }
    if (ordered.size() < tables.size()) {
      List<String> stuck = new ArrayList<>(new TreeSet<>(tables));
      stuck.removeAll(ordered);
      throw new ForeignKeyCycleException(stuck);
    }
    return ordered;
  }
}
