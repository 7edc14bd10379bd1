package dev.retort.messaging;

import dev.retort.proto.v1.Matrix;
import java.util.Objects;

/**
 * Converts between {@code double[rows][cols]} and the wire {@link Matrix} (row-major values).
 *
 * <p>Decoding checks, as {@link TensorCodec} does: {@code rows >= 0}, {@code cols >= 0}, {@code
 * rows * cols} within {@link DecodeLimits#maxElements()} (before allocating), {@code rows * cols}
 * values present, and, when required, every value finite. A matrix with no rows decodes as
 * {@code new double[0][]}; its column count is not kept.
 */
public final class MatrixCodec {
  private final DecodeLimits limits;

  /**
   * Creates a codec.
   *
   * @param limits what decoding accepts
   */
  public MatrixCodec(DecodeLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** Returns a codec with {@link DecodeLimits#defaults()}. */
  public static MatrixCodec defaults() {
    return new MatrixCodec(DecodeLimits.defaults());
  }

  /**
   * Encodes a rectangular matrix.
   *
   * @param m the matrix, {@code m[row][col]}
   * @return the wire matrix
   * @throws IllegalArgumentException if the rows differ in length
   */
  public Matrix encode(double[][] m) {
    int cols = m.length == 0 ? 0 : m[0].length;
    Matrix.Builder b = Matrix.newBuilder().setRows(m.length).setCols(cols);
    for (int r = 0; r < m.length; r++) {
      if (m[r].length != cols) {
        throw new IllegalArgumentException(
            "row " + r + " has " + m[r].length + " columns, row 0 has " + cols);
      }
      for (double v : m[r]) {
        b.addValues(v);
      }
    }
    return b.build();
  }

  /**
   * Decodes and validates a wire matrix.
   *
   * @param name the matrix's name in its message, for errors (e.g. {@code att_distances})
   * @param matrix the wire matrix
   * @return {@code double[rows][cols]}
   * @throws BadMessageException if the matrix breaks any rule of the class description
   */
  public double[][] decode(String name, Matrix matrix) {
    int rows = matrix.getRows();
    int cols = matrix.getCols();
    long n = WireChecks.elementCount(name, new long[] {rows, cols}, limits.maxElements());
    if (n != matrix.getValuesCount()) {
      throw new BadMessageException(name, rows + " x " + cols + " matrix needs " + n
          + " values, it has " + matrix.getValuesCount());
    }
    double[][] out = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        double v = matrix.getValues(r * cols + c);
        if (limits.requireFinite() && !Double.isFinite(v)) {
          throw new BadMessageException(name, "value [" + r + ", " + c + "] is " + v
              + ", and finite values are required");
        }
        out[r][c] = v;
      }
    }
    return out;
  }
}
