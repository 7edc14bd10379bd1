package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HostTensor;
import dev.retort.proto.v1.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TensorCodecTest {
  private static final dev.retort.proto.v1.DType FP32 = dev.retort.proto.v1.DType.DTYPE_FP32;
  private static final dev.retort.proto.v1.DType FP16 = dev.retort.proto.v1.DType.DTYPE_FP16;
  private static final dev.retort.proto.v1.DType BF16 = dev.retort.proto.v1.DType.DTYPE_BF16;
  private static final dev.retort.proto.v1.DType INT64 = dev.retort.proto.v1.DType.DTYPE_INT64;

  private final TensorCodec codec = TensorCodec.defaults();
  private final TensorCodec finite =
      new TensorCodec(DecodeLimits.defaults().withRequireFinite(true));

  @Test
  void fp32RoundTripIsExactAndKeepsShape() {
    float[] values = {1.5f, -0.0f, Float.MIN_VALUE, 3.4e38f, 1e-20f, -7.25f};
    HostTensor t = HostTensor.ofFloats(new long[] {2, 3}, values);

    Tensor wire = codec.encode(t, FP32);
    HostTensor back = codec.decode("x", Tensor.newBuilder().mergeFrom(wire).build());

    assertThat(wire.getShapeList()).containsExactly(2L, 3L);
    assertThat(wire.getData().size()).isEqualTo(24);
    assertThat(back.dtype()).isEqualTo(DType.F32);
    assertThat(back.shape()).containsExactly(2, 3);
    assertThat(back.toFloats()).containsExactly(values);
  }

  @Test
  void fp16EncodingRoundsToNearestEvenWithHandComputedBits() {
    float halfwayDown = 1f + 0x1p-11f; // between 0x3C00 and 0x3C01: ties to even 0x3C00
    float halfwayUp = 1f + 3 * 0x1p-11f; // between 0x3C01 and 0x3C02: ties to even 0x3C02
    HostTensor t = HostTensor.ofFloats(new long[] {6},
        new float[] {1f, -2f, 65504f, 1f / 3f, halfwayDown, halfwayUp});

    Tensor wire = codec.encode(t, FP16);

    assertThat(shorts(wire)).containsExactly(
        (short) 0x3C00, (short) 0xC000, (short) 0x7BFF, (short) 0x3555, (short) 0x3C00,
        (short) 0x3C02);
    HostTensor back = codec.decode("x", wire);
    assertThat(back.dtype()).isEqualTo(DType.F16);
    assertThat(back.toFloats()).containsExactly(
        1f, -2f, 65504f, 0.333251953125f, 1f, 1f + 0x1p-9f);
  }

  @Test
  void bf16EncodingRoundsToNearestEvenWithHandComputedBits() {
    float halfwayDown = 1f + 0x1p-8f; // between 0x3F80 and 0x3F81: ties to even 0x3F80
    float halfwayUp = 1f + 3 * 0x1p-8f; // between 0x3F81 and 0x3F82: ties to even 0x3F82
    HostTensor t = HostTensor.ofFloats(new long[] {1, 4},
        new float[] {1f, -2f, halfwayDown, halfwayUp});

    Tensor wire = codec.encode(t, BF16);

    assertThat(shorts(wire)).containsExactly(
        (short) 0x3F80, (short) 0xC000, (short) 0x3F80, (short) 0x3F82);
    assertThat(codec.decode("x", wire).toFloats())
        .containsExactly(1f, -2f, 1f, 1f + 0x1p-6f);
  }

  @Test
  void int64RoundTripIsExactAndSmallerIntegersWiden() {
    long[] values = {Long.MIN_VALUE, -1, 0, 101, Long.MAX_VALUE, 30522};
    HostTensor t = HostTensor.ofLongs(new long[] {3, 2}, values);

    HostTensor back = codec.decode("input_ids", codec.encode(t));

    assertThat(back.dtype()).isEqualTo(DType.I64);
    assertThat(back.toLongs()).containsExactly(values);
    ByteBuffer ints = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-5).putInt(7);
    HostTensor i32 = new HostTensor(DType.I32, new long[] {2}, ints.flip());
    Tensor wire = codec.encode(i32);
    assertThat(wire.getDtype()).isEqualTo(INT64);
    assertThat(codec.decode("mask", wire).toLongs()).containsExactly(-5, 7);
  }

  @Test
  void halfPrecisionTensorsTravelUnchangedInTheirOwnType() {
    HostTensor f16 = codec.decode("x", codec.encode(HostTensor.ofFloats(new long[] {2},
        new float[] {0.1f, 300f}), FP16));

    Tensor again = codec.encode(f16);

    assertThat(again.getDtype()).isEqualTo(FP16);
    assertThat(codec.decode("x", again)).isEqualTo(f16);
  }

  @Test
  void scalarsAndEmptyTensorsRoundTrip() {
    HostTensor scalar = HostTensor.ofFloats(new long[] {}, new float[] {4f});
    HostTensor empty = HostTensor.ofFloats(new long[] {0, 768}, new float[0]);

    assertThat(codec.decode("s", codec.encode(scalar))).isEqualTo(scalar);
    assertThat(codec.decode("e", codec.encode(empty)).shape()).containsExactly(0, 768);
  }

  @Test
  void encodingAnIntegerTensorAsFloatIsABug() {
    HostTensor ids = HostTensor.ofLongs(new long[] {1}, new long[] {3});

    assertThatThrownBy(() -> codec.encode(ids, FP16))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void negativeDimensionIsRejectedWithTheTensorName() {
    Tensor t = Tensor.newBuilder().setDtype(FP32).addShape(2).addShape(-3).build();

    assertThatThrownBy(() -> codec.decode("hidden[2]", t))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("hidden[2]")
        .hasMessageContaining("dimension 1 of shape [2, -3] is negative");
  }

  @Test
  void absurdShapeIsRejectedBeforeAnythingIsAllocated() {
    Tensor huge = Tensor.newBuilder().setDtype(FP32)
        .addShape(1_000_000_000L).addShape(1_000_000_000L).build();
    Tensor overflow = Tensor.newBuilder().setDtype(FP16)
        .addShape(1L << 62).addShape(8).build();

    assertThatThrownBy(() -> codec.decode("scores[0]", huge))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("more elements than the limit of " + (1L << 28));
    assertThatThrownBy(() -> codec.decode("scores[0]", overflow))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("more elements than the limit");
  }

  @Test
  void elementLimitIsConfigurable() {
    TensorCodec small = new TensorCodec(DecodeLimits.defaults().withMaxElements(5));
    Tensor six = codec.encode(HostTensor.ofFloats(new long[] {2, 3}, new float[6]));
    Tensor five = codec.encode(HostTensor.ofFloats(new long[] {5}, new float[5]));

    assertThat(small.decode("five", five).numel()).isEqualTo(5);
    assertThatThrownBy(() -> small.decode("six", six))
        .hasMessageContaining("shape [2, 3] has more elements than the limit of 5");
  }

  @Test
  void byteCountThatDisagreesWithTheShapeIsRejected() {
    Tensor t = Tensor.newBuilder().setDtype(FP16).addShape(2).addShape(3)
        .setData(ByteString.copyFrom(new byte[11])).build();

    assertThatThrownBy(() -> codec.decode("logits", t))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("logits")
        .hasMessageContaining("needs 12 bytes, the tensor has 11");
  }

  @Test
  void unknownAndMissingDtypesAreRejected() {
    Tensor unknown = Tensor.newBuilder().setDtypeValue(9).addShape(1)
        .setData(ByteString.copyFrom(new byte[4])).build();
    Tensor missing = Tensor.newBuilder().addShape(1).build();

    assertThatThrownBy(() -> codec.decode("x", unknown))
        .isInstanceOf(BadMessageException.class).hasMessageContaining("unknown dtype number 9");
    assertThatThrownBy(() -> codec.decode("x", missing))
        .isInstanceOf(BadMessageException.class).hasMessageContaining("DTYPE_UNSPECIFIED");
  }

  @Test
  void nanAndInfinityAreRejectedOnlyWhenFinitenessIsRequired() {
    Tensor nan32 = codec.encode(HostTensor.ofFloats(new long[] {3}, new float[] {0, 1, Float.NaN}));
    Tensor inf16 = codec.encode(HostTensor.ofFloats(new long[] {2},
        new float[] {Float.POSITIVE_INFINITY, 0}), FP16);
    Tensor nan16 = codec.encode(HostTensor.ofFloats(new long[] {1}, new float[] {Float.NaN}),
        FP16);
    Tensor infBf16 = codec.encode(HostTensor.ofFloats(new long[] {2},
        new float[] {1, Float.NEGATIVE_INFINITY}), BF16);
    Tensor overflow16 = codec.encode(HostTensor.ofFloats(new long[] {1}, new float[] {1e6f}),
        FP16);

    assertThat(codec.decode("x", nan32).toFloats()[2]).isNaN();
    assertThatThrownBy(() -> finite.decode("x", nan32))
        .hasMessageContaining("element 2 of 3 is NaN");
    assertThatThrownBy(() -> finite.decode("x", inf16))
        .hasMessageContaining("element 0 of 2 is Infinity");
    assertThatThrownBy(() -> finite.decode("x", nan16)).hasMessageContaining("is NaN");
    assertThatThrownBy(() -> finite.decode("x", infBf16))
        .hasMessageContaining("element 1 of 2 is -Infinity");
    assertThatThrownBy(() -> finite.decode("x", overflow16))
        .as("fp16 overflow becomes infinity on the wire").hasMessageContaining("Infinity");
  }

  private static short[] shorts(Tensor t) {
    ByteBuffer b = t.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    short[] out = new short[b.remaining() / 2];
    b.asShortBuffer().get(out);
    return out;
  }
}
