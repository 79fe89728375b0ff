package dev.tenancy.crypto;

import dev.tenancy.crypto.memory.InMemoryTenantKeyStore;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Deterministic KEKs for tests: keys are fixed bytes, so every failure reproduces. */
final class Fixtures {

  static final byte[] KEK_1 = filled(0x11);
  static final byte[] KEK_2 = filled(0x22);

  private Fixtures() {}

  static byte[] filled(int value) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) value);
    return key;
  }

  static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("KEK_ONE", Base64.getEncoder().encodeToString(KEK_1));
    env.put("KEK_TWO", Base64.getEncoder().encodeToString(KEK_2));
    return env;
  }

  static EnvironmentKekProvider kek1() {
    return EnvironmentKekProvider.builder(environment()).current("kek-1", "KEK_ONE").build();
  }

  /** KEK 2 current, KEK 1 still loaded: the state during a KEK rotation. */
  static EnvironmentKekProvider kek2WithPrevious() {
    return EnvironmentKekProvider.builder(environment()).current("kek-2", "KEK_TWO").previous("kek-1", "KEK_ONE")
        .build();
  }

  static TenantKeys keys(EnvironmentKekProvider kek, InMemoryTenantKeyStore store) {
    return TenantKeys.builder(kek, store).build();
  }
}
