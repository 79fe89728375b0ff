package dev.tenancy.jdbc.backup;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The column types tenant data can be copied, digested and archived in, each read and written through JDBC without
 * loss and with one canonical text form (the form digests hash and archives store). A column of any other type (arrays,
 * intervals, network addresses, {@code timetz}, user-defined types…) is refused with an
 * {@link UnsupportedColumnTypeException} rather than converted approximately.
 *
 * @since 0.1.0
 */
public enum ColumnType {
  /** {@code smallint}, {@code integer}, {@code bigint} (and serial/identity columns): a {@link Long}. */
  INTEGER {
    @Override
    @Nullable Object read(ResultSet rows, int index) throws SQLException {
      long value = rows.getLong(index);
      return rows.wasNull() ? null : value;
    }

    @Override
    void bindValue(PreparedStatement statement, int index, Object value, SqlDialect dialect) throws SQLException {
      statement.setLong(index, (Long) value);
    }

    @Override
    Object parse(String text) {
      return Long.valueOf(text);
    }
  },
  /** {@code numeric}/{@code decimal}: a {@link BigDecimal}, scale kept. */
  DECIMAL {
    @Override
    @Nullable Object read(ResultSet rows, int index) throws SQLException {
      return rows.getBigDecimal(index);
    }

    @Override
    void bindValue(PreparedStatement statement, int index, Object value, SqlDialect dialect) throws SQLException {
      statement.setBigDecimal(index, (BigDecimal) value);
    }

    @Override
    String text(Object value) {
      return ((BigDecimal) value).toPlainString();
    }

    @Override
    Object parse(String text) {
      return new BigDecimal(text);
    }
  },
  /** {@code real}: a {@link Float}. */
  REAL {
    @Override
    @Nullable Object read(ResultSet rows, int index) throws SQLException {
      float value = rows.getFloat(index);
      return rows.wasNull() ? null : value;
    }

    @Override
    void bindValue(PreparedStatement statement, int index, Object value, SqlDialect dialect) throws SQLException {
      statement.setFloat(index, (Float) value);
    }

    @Override
    Object parse(String text) {
      return Float.valueOf(text);
    }
  },
  /** {@code double precision}: a {@link Double}. */
  DOUBLE {
    @Override
    @Nullable Object read(ResultSet rows, int index) throws SQLException {
      double value = rows.getDouble(index);
      return rows.wasNull() ? null : value;
    }

    @Override
    void bindValue(PreparedStatement statement, int index, Object value, SqlDialect dialect) throws SQLException {
      statement.setDouble(index, (Double) value);
    }

    @Override
    Object parse(String text) {
      return Double.valueOf(text);
    }
  },
  /** Character types ({@code text}, {@code varchar}, {@code char}, enums reported as text…): a {@link String}. */
  TEXT {
    @Override
    @Nullable Object read(ResultSet rows, int index) throws SQLException {
      return rows.getString(index);
    }

    @Override
    void bindValue(PreparedStatement statement, int index, Object value, SqlDialect dialect) throws SQLException {
      if (dialect == SqlDialect.POSTGRESQL) {
        // Untyped, so the server casts to the column's own type: varchar, bpchar, citext and enums alike.
        statement.setObject(index, value, Types.OTHER);
      } else {
        statement.setString(index, (String) value);
      }
    }

    @Override
    Object parse(String text) {
      return text;
    }
  },
  /** {@code boolean}: a {@link Boolean}. */
  BOOLEAN {
    @Override
    @Nullable Object read(ResultSet rows, int index) throws SQLException {
      boolean value = rows.getBoolean(index);
      return rows.wasNull() ? null : value;
    }

    @Override
    void bindValue(PreparedStatement statement, int index, Object value, SqlDialect dialect) throws SQLException {
      statement.setBoolean(index, (Boolean) value);
    }

    @Override
    Object parse(String text) {
      if (!text.equals("true") && !text.equals("false")) {
        throw new IllegalArgumentException("not a boolean: " + text);
      }
      return Boolean.valueOf(text);
    }
  },
  /** {@code date}: a {@link LocalDate}. */
  DATE {
    @Override
    @Nullable Object read(ResultSet rows, int index) throws SQLException {
      return rows.getObject(index, LocalDate.class);
    }

    @Override
    Object parse(String text) {
      return LocalDate.parse(text);
    }
  },
  /** {@code time} without time zone: a {@link LocalTime}. */
  TIME {
    @Override
    @Nullable Object read(ResultSet rows, int index) throws SQLException {
      return rows.getObject(index, LocalTime.class);
    }

    @Override
    Object parse(String text) {
      return LocalTime.parse(text);
    }
  },
  /** {@code timestamp} without time zone: a {@link LocalDateTime}. */
  TIMESTAMP {
    @Override
    @Nullable Object read(ResultSet rows, int index) throws SQLException {
      return rows.getObject(index, LocalDateTime.class);
    }

    @Override
    Object parse(String text) {
      return LocalDateTime.parse(text);
    }
  },
  /** {@code timestamptz}: an {@link OffsetDateTime} at UTC (the instant is the data; the offset shown is not). */
  TIMESTAMPTZ {
    @Override
    @Nullable Object read(ResultSet rows, int index) throws SQLException {
      OffsetDateTime value = rows.getObject(index, OffsetDateTime.class);
      return value == null ? null : value.withOffsetSameInstant(ZoneOffset.UTC);
    }

    @Override
    Object parse(String text) {
      return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
    }
  },
  /** {@code uuid}: a {@link UUID}. */
  UUID {
    @Override
    @Nullable Object read(ResultSet rows, int index) throws SQLException {
      return rows.getObject(index, java.util.UUID.class);
    }

    @Override
    Object parse(String text) {
      java.util.UUID value = java.util.UUID.fromString(text);
      if (!value.toString().equals(text)) {
        throw new IllegalArgumentException("not a canonical UUID: " + text);
      }
      return value;
    }
  },
  /** {@code bytea}, {@code varbinary}, {@code blob}: a {@code byte[]}; Base64 as text. */
  BYTES {
    @Override
    @Nullable Object read(ResultSet rows, int index) throws SQLException {
      return rows.getBytes(index);
    }

    @Override
    void bindValue(PreparedStatement statement, int index, Object value, SqlDialect dialect) throws SQLException {
      statement.setBytes(index, (byte[]) value);
    }

    @Override
    String text(Object value) {
      return Base64.getEncoder().encodeToString((byte[]) value);
    }

    @Override
    Object parse(String text) {
      return Base64.getDecoder().decode(text);
    }
  },
  /** {@code json}, {@code jsonb}: the document's text as the database returns it. */
  JSON {
    @Override
    @Nullable Object read(ResultSet rows, int index) throws SQLException {
      return rows.getString(index);
    }

    @Override
    void bindValue(PreparedStatement statement, int index, Object value, SqlDialect dialect) throws SQLException {
      if (dialect == SqlDialect.POSTGRESQL) {
        statement.setObject(index, value, Types.OTHER);
      } else if (dialect == SqlDialect.H2) {
        // H2 stores a character string bound to a JSON column as a JSON string literal; bytes are parsed as JSON.
        statement.setBytes(index, ((String) value).getBytes(StandardCharsets.UTF_8));
      } else {
        statement.setString(index, (String) value);
      }
    }

    @Override
    Object parse(String text) {
      return text;
    }
  };

  /** Reads the column's value in its canonical Java form, or {@code null}. */
  abstract @Nullable Object read(ResultSet rows, int index) throws SQLException;

  /** Binds a value (in canonical Java form, or {@code null}) as a statement parameter. */
  final void bind(PreparedStatement statement, int index, @Nullable Object value, int jdbcType, SqlDialect dialect)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, dialect == SqlDialect.POSTGRESQL ? Types.NULL : jdbcType);
    } else {
      bindValue(statement, index, value, dialect);
    }
  }

  void bindValue(PreparedStatement statement, int index, Object value, SqlDialect dialect) throws SQLException {
    statement.setObject(index, value);
  }

  /** The canonical text of a non-null value: what digests hash and archives store. */
  String text(Object value) {
    return value.toString();
  }

  /**
   * The value whose canonical text this is.
   *
   * @throws IllegalArgumentException (or a {@code DateTimeException}) if the text is not this type's canonical text
   */
  abstract Object parse(String text);

  /**
   * Maps what JDBC metadata reports for a column to a supported type.
   *
   * @param jdbcType {@code DATA_TYPE}, a {@link Types} constant
   * @param typeName {@code TYPE_NAME}, the database's own name
   * @return the type, or empty if it is not supported
   */
  static Optional<ColumnType> of(int jdbcType, String typeName) {
    String name = typeName.toLowerCase(Locale.ROOT);
    switch (name) {
      case "uuid":
        return Optional.of(UUID);
      case "json", "jsonb":
        return Optional.of(JSON);
      case "timestamptz", "timestamp with time zone":
        return Optional.of(TIMESTAMPTZ);
      case "bool", "boolean":
        return Optional.of(BOOLEAN);
      case "timetz", "time with time zone", "interval", "money", "bit", "varbit", "xml":
        return Optional.empty();
      default:
        break;
    }
    if (name.startsWith("_") || name.endsWith("array") || name.startsWith("interval")) {
      return Optional.empty();
    }
    return switch (jdbcType) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> Optional.of(INTEGER);
      case Types.NUMERIC, Types.DECIMAL -> Optional.of(DECIMAL);
      case Types.REAL -> Optional.of(REAL);
      case Types.FLOAT, Types.DOUBLE -> Optional.of(DOUBLE);
      case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
          Types.CLOB, Types.NCLOB -> Optional.of(TEXT);
      case Types.BOOLEAN -> Optional.of(BOOLEAN);
      case Types.DATE -> Optional.of(DATE);
      case Types.TIME -> Optional.of(TIME);
      case Types.TIMESTAMP -> Optional.of(TIMESTAMP);
      case Types.TIMESTAMP_WITH_TIMEZONE -> Optional.of(TIMESTAMPTZ);
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Optional.of(BYTES);
      default -> Optional.empty();
    };
  }
}
