package dev.retort.core.weights;

import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Matrix transposes on host tensors, with a single copy (no intermediate float arrays). */
final class Transposes {
  private Transposes() {}

  /**
   * Transposes an [in, out] kernel into an [out, in] Linear weight: {@code W[j, i] = K[i, j]}.
   *
   * @param kernel a 2-D F32 tensor
   * @return a new F32 tensor of shape [out, in]
   */
  static HostTensor kernelToWeight(HostTensor kernel) {
    if (kernel.rank() != 2 || kernel.dtype() != DType.F32) {
      throw new IllegalArgumentException("expected a 2-D F32 kernel, got " + kernel);
    }
    int rows = (int) kernel.dim(0);
    int cols = (int) kernel.dim(1);
    FloatBuffer src = kernel.data().asFloatBuffer();
    ByteBuffer out = ByteBuffer.allocate(rows * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
    FloatBuffer dst = out.asFloatBuffer();
    final int tile = 64; // keep both the source rows and destination rows in cache
    for (int i0 = 0; i0 < rows; i0 += tile) {
      int i1 = Math.min(rows, i0 + tile);
      for (int j0 = 0; j0 < cols; j0 += tile) {
        int j1 = Math.min(cols, j0 + tile);
        for (int i = i0; i < i1; i++) {
          for (int j = j0; j < j1; j++) {
            dst.put(j * rows + i, src.get(i * cols + j));
          }
        }
      }
    }
    return new HostTensor(DType.F32, new long[] {cols, rows}, out);
  }
}
