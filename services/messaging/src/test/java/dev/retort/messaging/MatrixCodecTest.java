package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.proto.v1.Matrix;
import org.junit.jupiter.api.Test;

class MatrixCodecTest {
  private final MatrixCodec codec = MatrixCodec.defaults();

  @Test
  void roundTripKeepsRowMajorOrder() {
    double[][] m = {{1, 2, 3}, {4, 5, 6}};

    Matrix wire = codec.encode(m);

    assertThat(wire.getRows()).isEqualTo(2);
    assertThat(wire.getCols()).isEqualTo(3);
    assertThat(wire.getValuesList()).containsExactly(1d, 2d, 3d, 4d, 5d, 6d);
    assertThat(codec.decode("flow", wire)).isDeepEqualTo(m);
  }

  @Test
  void raggedRowsCannotBeEncoded() {
    assertThatThrownBy(() -> codec.encode(new double[][] {{1, 2}, {3}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1 has 1");
  }

  @Test
  void valueCountMustMatchRowsTimesCols() {
    Matrix m = Matrix.newBuilder().setRows(2).setCols(2).addValues(1).addValues(2).build();

    assertThatThrownBy(() -> codec.decode("att_distances", m))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("att_distances")
        .hasMessageContaining("2 x 2 matrix needs 4 values, it has 2");
  }

  @Test
  void negativeAndHugeSizesAreRejectedBeforeAllocating() {
    Matrix negative = Matrix.newBuilder().setRows(-1).setCols(2).build();
    Matrix huge = Matrix.newBuilder().setRows(Integer.MAX_VALUE).setCols(Integer.MAX_VALUE)
        .build();

    assertThatThrownBy(() -> codec.decode("m", negative)).hasMessageContaining("negative");
    assertThatThrownBy(() -> codec.decode("m", huge))
        .hasMessageContaining("more elements than the limit");
  }

  @Test
  void anEmptyMatrixWithTwoBillionRowsIsRejectedBeforeAllocatingItsRows() {
    Matrix empty = Matrix.newBuilder().setRows(2_000_000_000).setCols(0).build();

    assertThatThrownBy(() -> codec.decode("att_distances", empty))
        .isInstanceOf(BadMessageException.class)
        .hasMessageContaining("att_distances")
        .hasMessageContaining("shape [2000000000, 0] has more elements than the limit")
        .hasMessageContaining("in dimension 0 alone");
  }

  @Test
  void nonFiniteValuesAreRejectedWhenRequired() {
    Matrix m = codec.encode(new double[][] {{0, Double.NaN}});
    MatrixCodec strict = new MatrixCodec(DecodeLimits.defaults().withRequireFinite(true));

    assertThat(codec.decode("m", m)[0][1]).isNaN();
    assertThatThrownBy(() -> strict.decode("hid_distances", m))
        .hasMessageContaining("hid_distances").hasMessageContaining("value [0, 1] is NaN");
  }
}
