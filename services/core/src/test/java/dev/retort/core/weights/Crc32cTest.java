package dev.retort.core.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Crc32cTest {
  @Test
  void rawCrcMatchesTheStandardCheckValue() {
    // CRC-32C check value from RFC 3720 / the Castagnoli catalogue: "123456789" -> 0xE3069283.
    ByteBuffer b = ByteBuffer.wrap("123456789".getBytes(StandardCharsets.US_ASCII));
    assertThat(Crc32c.of(b)).isEqualTo(0xE3069283);
    assertThat(b.position()).isZero();
  }

  @Test
  void maskRotatesRightBy15AndAddsTheDelta() {
    assertThat(Crc32c.mask(0)).isEqualTo(0xa282ead8);
    assertThat(Crc32c.mask(1))
        .isEqualTo(0x00020000 + 0xa282ead8); // 1 rotated right by 15 = 1 << 17
    assertThat(Crc32c.mask(0x8000)).isEqualTo(1 + 0xa282ead8);
  }
}
