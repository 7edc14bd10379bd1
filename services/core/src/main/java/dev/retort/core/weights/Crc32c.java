package dev.retort.core.weights;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C checksums in the masked form LevelDB and TensorFlow store.
 *
 * <p>Masking rotates the raw CRC right by 15 bits and adds a constant, so that a CRC computed over
 * data that itself contains CRCs does not degenerate: {@code masked = ((crc >>> 15) | (crc << 17))
 * + 0xa282ead8} (mod 2^32).
 */
final class Crc32c {
  private static final int MASK_DELTA = 0xa282ead8;

  private Crc32c() {}

  /**
   * Returns the raw CRC32C of the remaining bytes of {@code data} (the buffer is not moved).
   *
   * @param data the bytes
   * @return the unmasked checksum
   */
  static int of(ByteBuffer data) {
    CRC32C crc = new CRC32C();
    crc.update(data.duplicate());
    return (int) crc.getValue();
  }

  /** Returns the masked form of a raw CRC. */
  static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }

  /** Returns the masked CRC32C of the remaining bytes of {@code data}. */
  static int masked(ByteBuffer data) {
    return mask(of(data));
  }
}
