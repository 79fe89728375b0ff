package dev.tenancy.crypto;

import javax.crypto.SecretKey;

/** An unwrapped data key and its version; package-private so key objects never reach users' code. */
record DataKey(int version, SecretKey key) {

  /** Never the key: {@code SecretKeySpec}'s identity hash is derived from its bytes. */
  @Override
  public String toString() {
    return "DataKey[version=" + version + "]";
  }
}
