package dev.tenancy.jdbc.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON text the store keeps configuration and step lists in. */
class JsonTextTest {

  @Test
  void write_nestedValues_isCanonicalAndReadsBackEqual() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("apiVersion", null);
    value.put("limits", Map.of("users", -5L));
    value.put("steps", List.of("schema", "data-key"));
    value.put("text", "quote \" backslash \\ newline \n nul \u0000 é");

    String json = JsonText.write(value);

    assertThat(json).isEqualTo("{\"apiVersion\":null,\"limits\":{\"users\":-5},\"steps\":[\"schema\",\"data-key\"],"
        + "\"text\":\"quote \\\" backslash \\\\ newline \\n nul \\u0000 é\"}");
    assertThat(JsonText.read(json)).isEqualTo(value);
  }

  @Test
  void read_whitespaceAndEscapes_areAccepted() {
    assertThat(JsonText.read(" { \"a\" : [ true , false , null ] , \"b\" : \"\\u00e9\\/\" } "))
        .isEqualTo(Map.of("a", Arrays.asList(true, false, null), "b", "é/"));
  }

  @Test
  void read_malformedText_throwsIllegalArgument() {
    for (String bad : List.of("", "{", "{\"a\":}", "[1,]", "\"open", "{\"a\":1} x", "{a:1}", "\"\\x\"")) {
      assertThatThrownBy(() -> JsonText.read(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Malformed JSON");
    }
  }
}
