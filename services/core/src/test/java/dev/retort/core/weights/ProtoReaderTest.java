package dev.retort.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ProtoReaderTest {
  private static ProtoReader of(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return new ProtoReader(ByteBuffer.wrap(b));
  }

  @Test
  void decodesTheBundleEntryExampleFromTheReference() {
    // key module/bert/embeddings/LayerNorm/beta: dtype 1, shape [768], size 3072, crc 0xe93f9533
    ProtoReader r =
        of(
            0x08, 0x01, 0x12, 0x05, 0x12, 0x03, 0x08, 0x80, 0x06, 0x28, 0x80, 0x18, 0x35, 0x33,
            0x95, 0x3f, 0xe9);
    assertThat(r.next()).isEqualTo(1);
    assertThat(r.readVarint()).isEqualTo(1);
    assertThat(r.next()).isEqualTo(2);
    ProtoReader shape = r.readMessage();
    assertThat(shape.next()).isEqualTo(2);
    ProtoReader dim = shape.readMessage();
    assertThat(dim.next()).isEqualTo(1);
    assertThat(dim.readVarint()).isEqualTo(768);
    assertThat(r.next()).isEqualTo(5);
    assertThat(r.readVarint()).isEqualTo(3072);
    assertThat(r.next()).isEqualTo(6);
    assertThat(r.wireType()).isEqualTo(ProtoReader.FIXED32);
    assertThat(r.readFixed32()).isEqualTo(0xe93f9533);
    assertThat(r.hasNext()).isFalse();
  }

  @Test
  void readsPackedAndUnpackedRepeatedVarints() {
    ProtoReader.LongList l = new ProtoReader.LongList();
    ProtoReader packed =
        new ProtoReader(
            ByteBuffer.wrap(new ProtoWriter().packedVarints(1, 3, 300, 1L << 40).toByteArray()));
    packed.next();
    packed.readVarints(l);
    ProtoReader single =
        new ProtoReader(ByteBuffer.wrap(new ProtoWriter().varint(1, 7).toByteArray()));
    single.next();
    single.readVarints(l);
    assertThat(l.toArray()).containsExactly(3, 300, 1L << 40, 7);
  }

  @Test
  void truncatedLengthIsRejected() {
    ProtoReader r = of(0x0a, 0x05, 0x01);
    r.next();
    assertThatThrownBy(r::readBytes)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runs past the end");
  }
}
