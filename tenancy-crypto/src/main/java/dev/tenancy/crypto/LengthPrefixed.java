package dev.tenancy.crypto;

import java.nio.ByteBuffer;

/**
 * The one encoding of associated data and KDF inputs: every field as a 4-byte big-endian length followed by its
 * bytes. Unambiguous by construction: ("ab","c") and ("a","bc") never encode alike, whatever the fields contain.
 */
final class LengthPrefixed {

  private LengthPrefixed() {}

  static byte[] encode(byte[]... fields) {
    int size = 0;
    for (byte[] field : fields) {
      size += 4 + field.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (byte[] field : fields) {
      out.putInt(field.length).put(field);
    }
    return out.array();
  }

  static byte[] int32(int value) {
    return ByteBuffer.allocate(4).putInt(value).array();
  }
}
