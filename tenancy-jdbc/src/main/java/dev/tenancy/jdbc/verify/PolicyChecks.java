package dev.tenancy.jdbc.verify;

import static dev.tenancy.jdbc.SqlIdentifiers.quote;

import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.verify.PostgresCatalog.Policy;
import dev.tenancy.jdbc.verify.PostgresCatalog.TenantTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks the policies of one tenant table as PostgreSQL combines them for the application role: permissive policies
 * are OR-ed (one that is not tenant-scoped opens the table), restrictive ones are AND-ed (a tenant-scoped restrictive
 * policy makes the permissive ones harmless), a missing expression grants nothing.
 */
final class PolicyChecks {

  enum Command {
    SELECT('r'), INSERT('a'), UPDATE('w'), DELETE('d');

    final char code;

    Command(char code) {
      this.code = code;
    }
  }

  private final String column;
  private final String setting;
  private final String roleName;

  PolicyChecks(String column, String setting, String roleName) {
    this.column = column;
    this.setting = setting;
    this.roleName = roleName;
  }

  void check(TenantTable table, List<Policy> allPolicies, List<Finding> out) {
    List<Policy> policies = allPolicies.stream()
        .filter(policy -> policy.tableOid() == table.oid() && policy.appliesToApp()).toList();
    for (Policy policy : policies) {
      checkShape(table, policy, out);
    }
    Set<Policy> leaking = new LinkedHashSet<>();
    for (Command command : Command.values()) {
      List<Policy> covering = policies.stream().filter(policy -> covers(policy, command)).toList();
      boolean restricted = covering.stream().anyMatch(policy -> !policy.permissive() && scoped(policy, command));
      List<Policy> granting = covering.stream().filter(policy -> policy.permissive() && grants(policy, command))
          .toList();
      if (granting.isEmpty()) {
        out.add(new Finding(FindingType.POLICY_MISSING, table.qualified(), "No permissive policy on "
            + table.qualified() + " lets role " + roleName + " " + command + " rows, so it cannot " + command
            + " at all. Create one, e.g. CREATE POLICY " + quote(policyName(table, command)) + " ON " + quoted(table)
            + " FOR " + command + " TO " + quote(roleName) + clauses(command)
            + " — RlsPolicies generates all four."));
      } else if (!restricted) {
        granting.stream().filter(policy -> !scoped(policy, command)).forEach(leaking::add);
      }
    }
    for (Policy policy : leaking) {
      out.add(new Finding(FindingType.POLICY_NOT_TENANT_SCOPED, object(policy, table), "Permissive policy "
          + policy.name() + " on " + table.qualified() + " (FOR " + commandName(policy) + ") does not restrict rows to"
          + " the current tenant: " + describe(policy) + ". Permissive policies are OR-ed, so it opens other tenants'"
          + " rows to role " + roleName + ". Drop it, make it AS RESTRICTIVE, or use exactly "
          + PolicyExpressions.recommended(column, setting) + "."));
    }
  }

  private void checkShape(TenantTable table, Policy policy, List<Finding> out) {
    String expressions = String.join(" ", nonNull(policy.using(), policy.check()));
    if (PolicyExpressions.failsOpen(expressions)) {
      out.add(new Finding(FindingType.POLICY_FAILS_OPEN, object(policy, table), "Policy " + policy.name() + " on "
          + table.qualified() + " lets rows through when the tenant setting is unset or empty: " + describe(policy)
          + ". Never add OR … IS NULL or COALESCE; use exactly " + PolicyExpressions.recommended(column, setting)
          + " (NULLIF makes an unset or empty setting match nothing)."));
    }
    if (PolicyExpressions.evaluatedPerRow(expressions)) {
      out.add(new Finding(FindingType.POLICY_PER_ROW_SETTING, object(policy, table), "Policy " + policy.name()
          + " on " + table.qualified() + " calls current_setting for every row: " + describe(policy) + ". Wrap it in"
          + " a scalar sub-select so PostgreSQL evaluates it once per statement (an InitPlan): "
          + PolicyExpressions.recommended(column, setting) + "."));
    }
    if ((policy.command() == '*' || policy.command() == 'w') && policy.check() == null) {
      out.add(new Finding(FindingType.POLICY_WITHOUT_WITH_CHECK, object(policy, table), "Policy " + policy.name()
          + " on " + table.qualified() + " (FOR " + commandName(policy) + ") has no WITH CHECK, so what may be"
          + " written depends on PostgreSQL silently reusing USING. State it: ALTER POLICY " + quote(policy.name())
          + " ON " + quoted(table) + " WITH CHECK (" + PolicyExpressions.recommended(column, setting) + ");"));
    }
  }

  private static boolean covers(Policy policy, Command command) {
    return policy.command() == '*' || policy.command() == command.code;
  }

  /** The expressions PostgreSQL evaluates for a command; a missing WITH CHECK falls back to USING for ALL/UPDATE. */
  private static List<@Nullable String> relevant(Policy policy, Command command) {
    @Nullable String check = policy.check() != null || policy.command() == 'a' ? policy.check() : policy.using();
    List<@Nullable String> expressions = new ArrayList<>();
    switch (command) {
      case SELECT, DELETE -> expressions.add(policy.using());
      case INSERT -> expressions.add(check);
      case UPDATE -> {
        expressions.add(policy.using());
        expressions.add(check);
      }
    }
    return expressions;
  }

  private static boolean grants(Policy policy, Command command) {
    return relevant(policy, command).stream().allMatch(expression -> expression != null);
  }

  private boolean scoped(Policy policy, Command command) {
    // A fail-open shape is reported on its own (POLICY_FAILS_OPEN), not a second time as unscoped.
    return relevant(policy, command).stream().allMatch(expression -> expression != null
        && PolicyExpressions.referencesTenant(expression, column, setting));
  }

  private String clauses(Command command) {
    String predicate = "(" + PolicyExpressions.recommended(column, setting) + ")";
    return switch (command) {
      case SELECT, DELETE -> " USING " + predicate;
      case INSERT -> " WITH CHECK " + predicate;
      case UPDATE -> " USING " + predicate + " WITH CHECK " + predicate;
    };
  }

  /** The name RlsPolicies would give, or a shorter one where that would exceed PostgreSQL's identifier length. */
  private static String policyName(TenantTable table, Command command) {
    String suffix = command.name().toLowerCase(Locale.ROOT);
    String name = "tenancy_" + table.name() + "_" + suffix;
    return name.getBytes(StandardCharsets.UTF_8).length <= SqlIdentifiers.MAX_IDENTIFIER_BYTES
        ? name : "tenancy_" + suffix;
  }

  private static String describe(Policy policy) {
    return (policy.using() == null ? "" : "USING " + policy.using())
        + (policy.using() != null && policy.check() != null ? " " : "")
        + (policy.check() == null ? "" : "WITH CHECK " + policy.check());
  }

  private static String commandName(Policy policy) {
    for (Command command : Command.values()) {
      if (command.code == policy.command()) {
        return command.name();
      }
    }
    return "ALL";
  }

  private static String object(Policy policy, TenantTable table) {
    return "policy " + policy.name() + " on " + table.qualified();
  }

  static String quoted(TenantTable table) {
    return quote(table.schema()) + "." + quote(table.name());
  }

  private static List<String> nonNull(@Nullable String first, @Nullable String second) {
    List<String> list = new ArrayList<>();
    if (first != null) {
      list.add(first);
    }
    if (second != null) {
      list.add(second);
    }
    return list;
  }
}
