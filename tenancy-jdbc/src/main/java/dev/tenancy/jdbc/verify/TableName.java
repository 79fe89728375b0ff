package dev.tenancy.jdbc.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A table name as a user wrote it: {@code leads} (any schema) or {@code public.leads}. */
record TableName(@Nullable String schema, String name) {

  TableName {
    Objects.requireNonNull(name, "name");
  }

  static List<TableName> parseAll(String... names) {
    List<TableName> list = new ArrayList<>();
    for (String name : Objects.requireNonNull(names, "names")) {
      Objects.requireNonNull(name, "name");
      int dot = name.indexOf('.');
      TableName parsed = dot < 0 ? new TableName(null, name) : new TableName(name.substring(0, dot),
          name.substring(dot + 1));
      if (parsed.name.isBlank() || (parsed.schema != null && parsed.schema.isBlank())) {
        throw new IllegalArgumentException("A table name is 'table' or 'schema.table'; was '" + name + "'");
      }
      list.add(parsed);
    }
    return list;
  }

  boolean matches(String otherSchema, String otherName) {
    return name.equals(otherName) && (schema == null || schema.equals(otherSchema));
  }

  @Override
  public String toString() {
    return schema == null ? name : schema + "." + name;
  }
}
