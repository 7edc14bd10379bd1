package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.retort.core.RetortException;
import dev.retort.core.tensor.HalfFloats;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves weights between a model and a {@link StateDict}, checking the key set and every shape
 * before anything is copied.
 */
public final class StateDicts {
  /** Largest fp16 tensor (bytes) widened through the per-thread scratch buffer: 32 MiB. */
  private static final int F16_SCRATCH_MAX = 32 << 20;

  /** Each thread's scratch buffer for fp16 on its way into the engine; see {@link #toNd}. */
  private static final ThreadLocal<ByteBuffer> F16_SCRATCH = new ThreadLocal<>();

  private StateDicts() {}

  /**
   * Copies every parameter of a model into Java memory.
   *
   * @param module the model
   * @param source a description for error messages
   * @return the weights under Hugging Face names, F32
   */
  public static StateDict toStateDict(HfModule module, String source) {
    StateDict sd = new StateDict(source);
    module
        .namedParameters()
        .forEach((name, p) -> sd.put(name, toHost(p.getArray())));
    return sd;
  }

  /** Copies an NDArray into a {@link HostTensor} (I64 for int64 arrays, F32 for the rest). */
  public static HostTensor toHost(NDArray a) {
    long[] shape = a.getShape().getShape();
    if (a.getDataType() == DataType.INT64) {
      return HostTensor.ofLongs(shape, a.toLongArray());
    }
    return f32(a, shape);
  }

  /**
   * Copies a floating NDArray into a {@link HostTensor} of type {@code as}: F32, F16 rounded to
   * nearest (ties to even) by the engine, or BF16 rounded the same way by {@link HalfFloats}.
   *
   * <p>The engine's binary16 rounding is {@link HalfFloats#toF16}'s, bit for bit, for every
   * non-NaN value ({@code StateDictsTest} checks it), and is vectorised: for a teacher's outputs
   * only the narrow bytes cross into Java, instead of a float array, a byte buffer and a branchy
   * rounding loop in Java (a BERT-base output at length 64 took 280–400 ms that way on one core,
   * 20–40 ms this way). bfloat16 is rounded in Java from the float bytes (a few bit operations
   * per value, several times cheaper than binary16): DJL 0.35 aborts the process when it copies
   * a BFLOAT16 array out of the engine.
   *
   * @param a the array, any floating type
   * @param as F32, F16 or BF16
   * @return a new tensor, little-endian
   * @throws IllegalArgumentException if {@code as} is not one of the three or {@code a} is not
   *     floating
   */
  public static HostTensor toHost(NDArray a, dev.retort.core.tensor.DType as) {
    if (!a.getDataType().isFloating()) {
      throw new IllegalArgumentException("not a floating array: " + a.getDataType());
    }
    long[] shape = a.getShape().getShape();
    return switch (as) {
      case F32 -> f32(a, shape);
      case F16 -> new HostTensor(as, shape, littleEndian(bytesAs(a, DataType.FLOAT16), 2));
      case BF16 -> {
        FloatBuffer f = littleEndian(bytesAs(a, DataType.FLOAT32), 4).asFloatBuffer();
        ByteBuffer out = ByteBuffer.allocate(2 * f.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0, n = f.remaining(); i < n; i++) {
          out.putShort(2 * i, HalfFloats.toBf16(f.get(i)));
        }
        yield new HostTensor(as, shape, out);
      }
      default -> throw new IllegalArgumentException(
          "can copy out a floating array only as F32, F16 or BF16, not " + as);
    };
  }

  /** Copies an array out as F32 bytes, converting in the engine. */
  private static HostTensor f32(NDArray a, long[] shape) {
    return new HostTensor(
        dev.retort.core.tensor.DType.F32, shape, littleEndian(bytesAs(a, DataType.FLOAT32), 4));
  }

  /** Returns the array's bytes as {@code type} in native order, converting in the engine. */
  private static byte[] bytesAs(NDArray a, DataType type) {
    if (a.getDataType() == type) {
      return a.toByteArray();
    }
    try (NDArray converted = a.toType(type, false)) {
      return converted.toByteArray();
    }
  }

  /** Wraps the engine's native-order bytes as little-endian ones, swapping on a big-endian host. */
  private static ByteBuffer littleEndian(byte[] bytes, int width) {
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
    ByteBuffer dst = ByteBuffer.allocate(bytes.length).order(ByteOrder.LITTLE_ENDIAN);
    copyElements(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), dst, width);
    return dst;
  }

  /**
   * Copies {@code width}-byte elements from {@code src} to {@code dst}, each read and written in
   * its buffer's own order (a bulk copy when the orders agree, a byte swap when they do not).
   */
  private static void copyElements(ByteBuffer src, ByteBuffer dst, int width) {
    if (width == 2) {
      dst.asShortBuffer().put(src.asShortBuffer());
    } else {
      dst.asIntBuffer().put(src.asIntBuffer());
    }
  }

  /**
   * Copies a {@link HostTensor} into {@code manager} as float32 (or int64 for I64), in memory owned
   * by PyTorch.
   *
   * <p>DJL wraps a Java direct buffer without copying ({@code from_blob}); such memory is only
   * 8- or 16-byte aligned, and PyTorch's vectorised CPU kernels then peel a different number of
   * leading elements, which changes the summation order of reductions. The result is a last-bit
   * difference between a tensor that came from a file or the wire and the same tensor computed in
   * place. Cloning into PyTorch's 64-byte-aligned allocator makes both identical, which exact
   * resume and distributed/in-process equivalence rely on.
   */
  public static NDArray toNd(NDManager manager, HostTensor t) {
    Shape shape = new Shape(t.shape());
    if (t.dtype() == dev.retort.core.tensor.DType.I64) {
      return manager.create(t.toLongs(), shape);
    }
    if (t.dtype() == dev.retort.core.tensor.DType.F16 && t.data().remaining() <= F16_SCRATCH_MAX) {
      // The engine widens binary16 exactly, vectorised, straight into its own memory: for a
      // teacher output from the wire this replaces a Java widening loop and three float copies.
      // The half bytes go through this thread's scratch buffer: a new direct buffer per call is
      // freed only when the garbage collector runs, and a trainer decoding 25 tensors a step
      // makes little heap garbage, so they piled up and the engine's own allocations slowed
      // down (9 ms per [32, 64, 768] in a loop, against 4.5 ms for the Java path).
      ByteBuffer scratch = f16Scratch(t.data().remaining());
      ByteBuffer halves = nativeCopy(t.data(), 2, scratch);
      try (NDArray half = manager.create(halves, shape, DataType.FLOAT16)) {
        return half.toType(DataType.FLOAT32, true); // copies: scratch is free again after this
      }
    }
    try (NDArray wrapped = manager.create(floatBuffer(t), shape, DataType.FLOAT32)) {
      return wrapped.duplicate();
    }
  }

  /** Returns this thread's scratch buffer, grown to at least {@code bytes}, cleared. */
  private static ByteBuffer f16Scratch(int bytes) {
    ByteBuffer b = F16_SCRATCH.get();
    if (b == null || b.capacity() < bytes) {
      b = ByteBuffer.allocateDirect(Math.max(bytes, 1 << 20)).order(ByteOrder.nativeOrder());
      F16_SCRATCH.set(b);
    }
    return b.clear().limit(bytes);
  }

  /** Copies little-endian bytes into {@code direct} in the engine's (native) order. */
  private static ByteBuffer nativeCopy(ByteBuffer littleEndian, int width, ByteBuffer direct) {
    copyElements(littleEndian, direct, width);
    return direct;
  }

  private static ByteBuffer floatBuffer(HostTensor t) {
    HostTensor f = t.toF32();
    ByteBuffer direct = ByteBuffer.allocateDirect((int) f.numel() * 4).order(ByteOrder.nativeOrder());
    direct.asFloatBuffer().put(f.data().asFloatBuffer());
    return direct;
  }

  /**
   * Loads a checkpoint into a model. Names are aligned first (a {@code bert.} prefix added or
   * removed, legacy {@code gamma}/{@code beta} renamed); then the key set and every shape are
   * checked against the policy and the first problem is reported; only then is anything copied.
   *
   * @param module the model; parameters that are not yet initialised are created in {@code
   *     manager}
   * @param checkpoint the weights
   * @param manager the model's long-lived manager
   * @param policy how strict the match must be
   * @return what was loaded, left fresh and skipped
   * @throws RetortException naming the first missing, unexpected or mis-shaped tensor
   */
  public static LoadReport load(
      HfModule module, StateDict checkpoint, NDManager manager, LoadPolicy policy) {
    LinkedHashMap<String, Shape> expected = module.declaredShapes();
    Map<String, HostTensor> aligned = align(expected.keySet(), checkpoint);
    List<String> loaded = new ArrayList<>();
    List<String> fresh = new ArrayList<>();
    List<String> unused = new ArrayList<>();
    for (var e : expected.entrySet()) {
      HostTensor t = aligned.get(e.getKey());
      if (t == null) {
        if (!policy.mayBeMissing(e.getKey())) {
          throw new RetortException(
              checkpoint.source(),
              "missing tensor '" + e.getKey() + "' of shape " + e.getValue()
                  + " (" + aligned.size() + " tensors present)",
              "Check that the checkpoint is a BERT model of the configured size");
        }
        fresh.add(e.getKey());
        continue;
      }
      long[] want = e.getValue().getShape();
      if (!Arrays.equals(want, t.shape())) {
        throw new RetortException(
            checkpoint.source(),
            "tensor '" + e.getKey() + "' has shape " + t.shapeString()
                + " but the model expects " + Arrays.toString(want),
            "The model configuration (hidden size, layers, heads, vocabulary) does not match these weights");
      }
      loaded.add(e.getKey());
    }
    for (String k : aligned.keySet()) {
      if (!expected.containsKey(k)) {
        if (!policy.allowUnused()) {
          throw new RetortException(
              checkpoint.source(),
              "unexpected tensor '" + k + "' that the model has no parameter for",
              "Check that the checkpoint and the model configuration describe the same architecture");
        }
        unused.add(k);
      }
    }
    Map<String, Parameter> params = module.namedParameters();
    for (String name : loaded) {
      copyInto(params.get(name), aligned.get(name), expected.get(name), manager);
    }
    module.initializeParameters(manager);
    return new LoadReport(loaded, fresh, unused);
  }

  private static void copyInto(Parameter p, HostTensor t, Shape shape, NDManager manager) {
    NDArray owned = toNd(manager, t); // PyTorch-owned, aligned memory: see toNd
    if (p.isInitialized()) {
      // Swap the tensor behind the parameter's array; gradients restart from nothing.
      p.getArray().intern(owned);
      p.getArray().setRequiresGradient(p.requiresGradient());
    } else {
      p.setArray(owned);
    }
  }

  /**
   * Renames checkpoint tensors to the model's convention: adds or strips the {@code bert.} prefix
   * when the checkpoint uses the other convention, and maps legacy {@code LayerNorm.gamma/beta}.
   */
  static Map<String, HostTensor> align(java.util.Set<String> expected, StateDict checkpoint) {
    boolean modelPrefixed = expected.stream().anyMatch(n -> n.startsWith("bert."));
    boolean ckptPrefixed = checkpoint.names().stream().anyMatch(n -> n.startsWith("bert."));
    Map<String, HostTensor> out = new LinkedHashMap<>();
    for (var e : checkpoint.asMap().entrySet()) {
      String n = e.getKey();
      if (n.endsWith("position_ids")) {
        continue; // a buffer some exports carry, not a parameter
      }
      if (n.endsWith("LayerNorm.gamma")) {
        n = n.substring(0, n.length() - "gamma".length()) + "weight";
      } else if (n.endsWith("LayerNorm.beta")) {
        n = n.substring(0, n.length() - "beta".length()) + "bias";
      }
      if (modelPrefixed && !ckptPrefixed && isEncoderName(n)) {
        n = "bert." + n;
      } else if (!modelPrefixed && ckptPrefixed && n.startsWith("bert.")) {
        n = n.substring("bert.".length());
      }
      out.put(n, e.getValue());
    }
    return out;
  }

  private static boolean isEncoderName(String n) {
    return n.startsWith("embeddings.") || n.startsWith("encoder.") || n.startsWith("pooler.");
  }
}
