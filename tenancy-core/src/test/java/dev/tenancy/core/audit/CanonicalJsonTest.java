package dev.tenancy.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The canonical form of RFC 8785 (JCS), checked against the RFC's own examples. */
class CanonicalJsonTest {

  /** RFC 8785 section 3.2.2.2: the string serialisation example. */
  @Test
  void write_rfc8785StringExample_escapesExactlyAsJsonStringify() {
    String value = "\u20ac$\u000F\nA'B\"\\\\\"/";

    assertThat(CanonicalJson.write(Map.of("string", value)))
        .isEqualTo("{\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
  }

  /** RFC 8785 section 3.2.3: members sorted by the UTF-16 code units of their names (the emoji before U+FB33). */
  @Test
  void write_rfc8785SortingExample_sortsByUtf16CodeUnits() {
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("\u20ac", "Euro Sign");
    members.put("\r", "Carriage Return");
    members.put("\ufb33", "Hebrew Letter Dalet With Dagesh");
    members.put("1", "One");
    members.put("\ud83d\ude00", "Emoji: Grinning Face");
    members.put("\u0080", "Control");
    members.put("\u00f6", "Latin Small Letter O With Diaeresis");

    assertThat(CanonicalJson.write(members)).isEqualTo("{"
        + "\"\\r\":\"Carriage Return\","
        + "\"1\":\"One\","
        + "\"\u0080\":\"Control\","
        + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
        + "\"\u20ac\":\"Euro Sign\","
        + "\"\ud83d\ude00\":\"Emoji: Grinning Face\","
        + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\""
        + "}");
  }

  @Test
  void write_controlCharacters_useShortEscapesOrLowerCaseHex_andNothingElseIsEscaped() {
    String value = "\b\f\n\r\t\u0000\u001f\u007f\u2028</script>";

    assertThat(CanonicalJson.write(Map.of("v", value)))
        .isEqualTo("{\"v\":\"\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\u2028</script>\"}");
  }

  @Test
  void write_numbersNestedObjectsAndNulls_inCanonicalForm() {
    Map<String, Object> inner = CanonicalJson.object();
    inner.put("z", true);
    inner.put("a", 0L);
    Map<String, Object> outer = CanonicalJson.object();
    outer.put("sequence", AuditRecord.MAX_SEQUENCE);
    outer.put("absent", null);
    outer.put("inner", inner);
    outer.put("empty", CanonicalJson.object());

    assertThat(CanonicalJson.write(outer))
        .isEqualTo("{\"empty\":{},\"inner\":{\"a\":0,\"z\":true},\"sequence\":9007199254740991}");
  }

  @Test
  void write_loneSurrogate_isRefusedBecauseItHasNoUtf8Form() {
    assertThatThrownBy(() -> CanonicalJson.write(Map.of("v", "a\ud800b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lone surrogate");
    assertThatThrownBy(() -> CanonicalJson.write(Map.of("v", "\udc00")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wellFormed_replacesOnlyLoneSurrogates() {
    String pair = "\ud83d\ude00";

    assertThat(CanonicalJson.wellFormed("a\ud800b" + pair + "\udc00")).isEqualTo("a\ufffdb" + pair + "\ufffd");
    assertThat(CanonicalJson.wellFormed(pair)).isSameAs(pair);
  }
}
