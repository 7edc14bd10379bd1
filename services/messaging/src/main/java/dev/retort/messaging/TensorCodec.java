package dev.retort.messaging;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HalfFloats;
import dev.retort.core.tensor.HostTensor;
import dev.retort.proto.v1.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Converts between {@link HostTensor} and the wire {@link Tensor}.
 *
 * <p>Wire types: {@code DTYPE_FP32}, {@code DTYPE_FP16}, {@code DTYPE_BF16} (floating tensors are
 * rounded to nearest, ties to even, by {@link HalfFloats}) and {@code DTYPE_INT64} (every integer
 * tensor). Bytes are little-endian, row-major, as in {@link HostTensor}.
 *
 * <p>Decoding trusts nothing: the dtype must be known, every dimension {@code >= 0}, the element
 * count {@code n = prod(shape)} at most {@link DecodeLimits#maxElements()} (checked before
 * anything is allocated), {@code n * width(dtype)} equal to the number of bytes, and, when
 * required, every value finite. A decoded tensor shares the message's bytes (no copy) and keeps
 * its wire type; {@link HostTensor#toFloats()} widens it.
 */
public final class TensorCodec {
  private final DecodeLimits limits;

  /**
   * Creates a codec.
   *
   * @param limits what decoding accepts
   */
  public TensorCodec(DecodeLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** Returns a codec with {@link DecodeLimits#defaults()}. */
  public static TensorCodec defaults() {
    return new TensorCodec(DecodeLimits.defaults());
  }

  /** Returns the limits of decoding. */
  public DecodeLimits limits() {
    return limits;
  }

  /**
   * Encodes a tensor in the wire type that matches its own (integers become {@code INT64}).
   *
   * @param tensor the tensor
   * @return the wire tensor
   */
  public Tensor encode(HostTensor tensor) {
    dev.retort.proto.v1.DType wire = switch (tensor.dtype()) {
      case F32 -> dev.retort.proto.v1.DType.DTYPE_FP32;
      case F16 -> dev.retort.proto.v1.DType.DTYPE_FP16;
      case BF16 -> dev.retort.proto.v1.DType.DTYPE_BF16;
      case I64, I32, I8, U8 -> dev.retort.proto.v1.DType.DTYPE_INT64;
    };
    return encode(tensor, wire);
  }

  /**
   * Encodes a tensor in a given wire type.
   *
   * @param tensor the tensor
   * @param wire {@code DTYPE_FP32}, {@code DTYPE_FP16} or {@code DTYPE_BF16} for a floating
   *     tensor; {@code DTYPE_INT64} for an integer one
   * @return the wire tensor
   * @throws IllegalArgumentException if the wire type does not suit the tensor
   */
  public Tensor encode(HostTensor tensor, dev.retort.proto.v1.DType wire) {
    DType target = coreType(wire);
    if (target == null) {
      throw new IllegalArgumentException("cannot encode as " + wire);
    }
    if (target.isFloating() != tensor.dtype().isFloating()) {
      throw new IllegalArgumentException(
          "cannot encode a " + tensor.dtype() + " tensor as " + wire);
    }
    Tensor.Builder b = Tensor.newBuilder().setDtype(wire);
    for (long d : tensor.shape()) {
      b.addShape(d);
    }
    return b.setData(bytes(tensor, target)).build();
  }

  /**
   * Decodes and validates a wire tensor.
   *
   * @param name the tensor's name in its message, for errors (e.g. {@code hidden[3]})
   * @param tensor the wire tensor
   * @return the tensor, in its wire type
   * @throws BadMessageException if the tensor breaks any rule of the class description
   */
  public HostTensor decode(String name, Tensor tensor) {
    DType dtype = coreType(tensor.getDtype());
    if (dtype == null) {
      throw new BadMessageException(name, tensor.getDtype() == dev.retort.proto.v1.DType
          .UNRECOGNIZED ? "unknown dtype number " + tensor.getDtypeValue()
          : "the tensor has no dtype (" + tensor.getDtype() + ")");
    }
    List<Long> dims = tensor.getShapeList();
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = dims.get(i);
    }
    long n = WireChecks.elementCount(name, shape, limits.maxElements());
    long expected = n * dtype.bytes();
    if (expected != tensor.getData().size()) {
      throw new BadMessageException(name, "shape " + Arrays.toString(shape) + " of "
          + tensor.getDtype() + " needs " + expected + " bytes, the tensor has "
          + tensor.getData().size());
    }
    ByteBuffer data = tensor.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    if (limits.requireFinite()) {
      checkFinite(name, dtype, data, (int) n);
    }
    return new HostTensor(dtype, shape, data);
  }

  /**
   * Returns the core type of a wire type, or null for an unknown one.
   *
   * @param wire the wire type
   * @return F32, F16, BF16 or I64; null for {@code DTYPE_UNSPECIFIED} and unknown numbers
   */
  public static DType coreType(dev.retort.proto.v1.DType wire) {
    return switch (wire) {
      case DTYPE_FP32 -> DType.F32;
      case DTYPE_FP16 -> DType.F16;
      case DTYPE_BF16 -> DType.BF16;
      case DTYPE_INT64 -> DType.I64;
      case DTYPE_UNSPECIFIED, UNRECOGNIZED -> null;
    };
  }

  private static ByteString bytes(HostTensor tensor, DType target) {
    if (tensor.dtype() == target) {
      return ByteString.copyFrom(tensor.data());
    }
    int n = Math.toIntExact(tensor.numel());
    ByteBuffer out = ByteBuffer.allocate(n * target.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    if (target == DType.I64) {
      out.asLongBuffer().put(tensor.toLongs());
    } else {
      float[] values = tensor.toFloats();
      switch (target) {
        case F32 -> out.asFloatBuffer().put(values);
        case F16 -> {
          for (int i = 0; i < n; i++) {
            out.putShort(2 * i, HalfFloats.toF16(values[i]));
          }
        }
        case BF16 -> {
          for (int i = 0; i < n; i++) {
            out.putShort(2 * i, HalfFloats.toBf16(values[i]));
          }
        }
        default -> throw new IllegalStateException("not a wire float type: " + target);
      }
    }
    // The array is new and never written again, so it can back the ByteString without a copy.
    return UnsafeByteOperations.unsafeWrap(out.array());
  }

  private static void checkFinite(String name, DType dtype, ByteBuffer data, int n) {
    for (int i = 0; i < n; i++) {
      boolean finite = switch (dtype) {
        case F32 -> Float.isFinite(data.getFloat(4 * i));
        case F16 -> (data.getShort(2 * i) & 0x7C00) != 0x7C00;
        case BF16 -> (data.getShort(2 * i) & 0x7F80) != 0x7F80;
        default -> true;
      };
      if (!finite) {
        float value = switch (dtype) {
          case F32 -> data.getFloat(4 * i);
          case F16 -> HalfFloats.fromF16(data.getShort(2 * i));
          default -> HalfFloats.fromBf16(data.getShort(2 * i));
        };
        throw new BadMessageException(name, "element " + i + " of " + n + " is " + value
            + ", and finite values are required");
      }
    }
  }
}
