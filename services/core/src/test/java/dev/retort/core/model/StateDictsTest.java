package dev.retort.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HalfFloats;
import dev.retort.core.tensor.HostTensor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link StateDicts#toHost(NDArray, DType)}: the teacher service copies its outputs out of the
 * engine already narrowed to the wire type, so the engine's binary16 rounding must be the codec's
 * ({@link HalfFloats}), bit for bit, or the bytes on the wire would change with the path taken.
 */
class StateDictsTest {

  /**
   * Values where rounding can go wrong: zeros, the binary16 and bfloat16 subnormal and normal
   * boundaries, exact ties either side of an even mantissa, the largest finite halves and the
   * first values that overflow, infinities.
   */
  private static float[] edgeValues() {
    float[] special = {
      0f, -0f, 1f, -1f, 0.1f, 1f / 3, 65504f, 65519.996f, 65520f, 65536f, 1e10f, -1e10f,
      0x1p-14f, 0x1p-24f, 0x1p-25f, 0x1.8p-25f, 0x1p-26f, 0x1.ffcp-15f, 6.1e-5f, 5.9e-8f,
      Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
      // ties: binary16 keeps 10 mantissa bits, bfloat16 7
      1f + 0x1p-11f, 1f + 3 * 0x1p-11f, 1f + 0x1p-8f, 1f + 3 * 0x1p-8f,
      2049f, 2051f, 0x1.0010p0f, 0x1.0030p0f
    };
    float[] all = new float[special.length * 2];
    for (int i = 0; i < special.length; i++) {
      all[2 * i] = special[i];
      all[2 * i + 1] = -special[i];
    }
    return all;
  }

  /** Random bit patterns over every exponent, NaN excluded (its payload is not specified). */
  private static float[] randomValues(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      float f;
      do {
        f = Float.intBitsToFloat(r.nextInt());
      } while (Float.isNaN(f));
      v[i] = f;
    }
    return v;
  }

  private static short[] shorts(HostTensor t) {
    short[] s = new short[(int) t.numel()];
    t.data().asShortBuffer().get(s);
    return s;
  }

  private static void assertRoundsLikeHalfFloats(float[] values) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(values, new Shape(values.length));
      short[] f16 = shorts(StateDicts.toHost(a, DType.F16));
      short[] bf16 = shorts(StateDicts.toHost(a, DType.BF16));
      for (int i = 0; i < values.length; i++) {
        float v = values[i];
        assertThat(f16[i])
            .as("binary16 of %s (0x%08x)", v, Float.floatToRawIntBits(v))
            .isEqualTo(HalfFloats.toF16(v));
        assertThat(bf16[i])
            .as("bfloat16 of %s (0x%08x)", v, Float.floatToRawIntBits(v))
            .isEqualTo(HalfFloats.toBf16(v));
      }
    }
  }

  @Test
  void edgeValuesRoundToHalvesExactlyAsHalfFloats() {
    assertRoundsLikeHalfFloats(edgeValues());
  }

  @Test
  void randomBitPatternsRoundToHalvesExactlyAsHalfFloats() {
    assertRoundsLikeHalfFloats(randomValues(200_000, 11));
  }

  @Test
  void copyKeepsTheShapeAndTheTypeAsked() {
    float[] v = randomValues(2 * 3 * 4, 5);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(v, new Shape(2, 3, 4)); // [B, L, H]
      HostTensor f32 = StateDicts.toHost(a, DType.F32);
      assertThat(f32.dtype()).isEqualTo(DType.F32);
      assertThat(f32.shape()).containsExactly(2, 3, 4);
      assertThat(f32.toFloats()).isEqualTo(v);
      HostTensor f16 = StateDicts.toHost(a, DType.F16);
      assertThat(f16.dtype()).isEqualTo(DType.F16);
      assertThat(f16.shape()).containsExactly(2, 3, 4);
      assertThat(f16.data().remaining()).isEqualTo(2 * v.length);
    }
  }

  @Test
  void anArrayAlreadyInTheTypeAskedIsCopiedAsIs() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray half = m.create(new float[] {1.5f, -2.25f, 0.1f}).toType(
          ai.djl.ndarray.types.DataType.FLOAT16, false);
      short[] s = shorts(StateDicts.toHost(half, DType.F16));
      assertThat(s)
          .containsExactly(
              HalfFloats.toF16(1.5f), HalfFloats.toF16(-2.25f), HalfFloats.toF16(0.1f));
    }
  }

  @Test
  void everyBinary16WidensIntoTheEngineExactlyAsHalfFloats() {
    ByteBuffer le = ByteBuffer.allocate(2 * 65536).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int n = 0;
    for (int bits = 0; bits < 65536; bits++) {
      boolean nan = (bits & 0x7C00) == 0x7C00 && (bits & 0x3FF) != 0;
      if (!nan) {
        le.putShort(2 * n++, (short) bits);
      }
    }
    HostTensor half = new HostTensor(DType.F16, new long[] {n}, le.limit(2 * n));
    float[] want = half.toFloats(); // HalfFloats.fromF16 of each
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = StateDicts.toNd(m, half);
      assertThat(a.getDataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
      assertThat(a.getShape()).isEqualTo(new Shape(n));
      float[] got = a.toFloatArray();
      for (int i = 0; i < n; i++) {
        assertThat(Float.floatToRawIntBits(got[i]))
            .as("binary16 0x%04x", le.getShort(2 * i) & 0xFFFF)
            .isEqualTo(Float.floatToRawIntBits(want[i]));
      }
    }
  }

  @Test
  void aWidenedArrayKeepsItsValuesWhenTheThreadWidensTheNextOne() {
    // fp16 goes through one scratch buffer per thread; the arrays must not share it.
    HostTensor ones = halves(1f, 2f, 3f);
    HostTensor others = halves(-5f, 0.5f, 7f);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = StateDicts.toNd(m, ones);
      NDArray b = StateDicts.toNd(m, others);
      assertThat(a.toFloatArray()).containsExactly(1f, 2f, 3f);
      assertThat(b.toFloatArray()).containsExactly(-5f, 0.5f, 7f);
    }
  }

  private static HostTensor halves(float... v) {
    ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < v.length; i++) {
      b.putShort(2 * i, HalfFloats.toF16(v[i]));
    }
    return new HostTensor(DType.F16, new long[] {v.length}, b);
  }

  @Test
  void refusesIntegerTypesEitherSide() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray f = m.create(new float[] {1f});
      assertThatThrownBy(() -> StateDicts.toHost(f, DType.I64))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("only as F32, F16 or BF16");
      NDArray ints = m.create(new long[] {1L});
      assertThatThrownBy(() -> StateDicts.toHost(ints, DType.F16))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a floating array");
    }
  }

  @Test
  void theBytesAreLittleEndianWhateverTheHost() {
    try (NDManager m = NDManager.newBaseManager()) {
      HostTensor t = StateDicts.toHost(m.create(new float[] {1f}), DType.F32);
      ByteBuffer b = t.data();
      byte[] raw = new byte[4];
      b.get(raw);
      // 1.0f is 0x3f800000: little-endian bytes 00 00 80 3f
      assertThat(Arrays.equals(raw, new byte[] {0, 0, (byte) 0x80, 0x3f})).isTrue();
    }
  }
}
