package dev.tenancy.jdbc.verify;

import static dev.tenancy.jdbc.SqlIdentifiers.quote;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads policy expressions in the form {@code pg_get_expr} prints them, e.g.
 * {@code (organization_id = ( SELECT (NULLIF(current_setting('tenancy.tenant_id'::text, true), ''::text))::uuid AS
 * "nullif"))}. Textual on purpose: the checks accept the shape {@code RlsPolicies} writes and flag anything clever.
 */
final class PolicyExpressions {

  private static final Pattern FAIL_OPEN = Pattern.compile("(?i)\\bIS\\s+NULL\\b|\\bCOALESCE\\s*\\(");

  private PolicyExpressions() {
  }

  /** The predicate {@code RlsPolicies} generates, for fix-it messages. */
  static String recommended(String column, String setting) {
    return quote(column) + " = (select NULLIF(current_setting('" + setting + "', true), '')::uuid)";
  }

  /** Whether the expression compares the tenant column with the tenant setting at all. */
  static boolean referencesTenant(String expression, String column, String setting) {
    String lower = expression.toLowerCase(Locale.ROOT);
    boolean readsSetting = lower.contains("current_setting('" + setting + "'");
    Pattern columnPattern = Pattern.compile("(?<![A-Za-z0-9_$\"])(" + Pattern.quote(column) + "|"
        + Pattern.quote(quote(column)) + ")(?![A-Za-z0-9_$\"])");
    // Literals are removed first: the setting 'tenancy.tenant_id' must not count as a column named tenant_id.
    return readsSetting && columnPattern.matcher(expression.replaceAll("'(?:[^']|'')*'", "''")).find();
  }

  /** Whether an unset or empty setting could let rows through ({@code OR … IS NULL}, {@code COALESCE}). */
  static boolean failsOpen(String expression) {
    return FAIL_OPEN.matcher(expression).find();
  }

  /**
   * Whether some {@code current_setting} call is outside every scalar sub-select, so PostgreSQL evaluates it for each
   * row instead of once per statement as an InitPlan.
   */
  static boolean evaluatedPerRow(String expression) {
    String lower = expression.toLowerCase(Locale.ROOT);
    Deque<Boolean> parentheses = new ArrayDeque<>();
    int selects = 0;
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (c == '\'') {
        int end = lower.indexOf('\'', i + 1);
        i = end < 0 ? lower.length() : end;
      } else if (c == '(') {
        boolean select = lower.startsWith("select", skipSpaces(lower, i + 1));
        parentheses.push(select);
        selects += select ? 1 : 0;
      } else if (c == ')' && !parentheses.isEmpty()) {
        selects -= parentheses.pop() ? 1 : 0;
      } else if (selects == 0 && lower.startsWith("current_setting(", i)) {
        return true;
      }
    }
    return false;
  }

  private static int skipSpaces(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }
}
