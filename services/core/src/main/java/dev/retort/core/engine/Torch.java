package dev.retort.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.FloatBuffer;

/**
 * The few PyTorch-engine specifics the core relies on, in one place.
 *
 * <p>PyTorch keeps autograd's on/off switch per thread, and a new thread starts with it on. DJL
 * switches it off only on the thread that loads the engine and turns it on inside a {@code
 * GradientCollector}. Every thread that runs a model outside a collector (service worker threads,
 * evaluation) must call {@link #noGradOnThisThread()} first, or each forward pass builds a graph
 * and in-place weight updates fail.
 */
public final class Torch {
  static {
    Engine.getEngine("PyTorch"); // loads libtorch before any JNI call below
  }

  /**
   * {@code torch::Tensor::is_contiguous} through DJL's JNI library, whose method is not public;
   * null if this DJL version does not have it, and then {@link #floatView} returns no view.
   */
  private static final MethodHandle IS_CONTIGUOUS = isContiguousHandle();

  private Torch() {}

  private static MethodHandle isContiguousHandle() {
    try {
      Class<?> lib = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
      Field instance = lib.getDeclaredField("LIB");
      instance.setAccessible(true);
      Method method = lib.getDeclaredMethod("torchIsContiguous", long.class);
      method.setAccessible(true);
      return MethodHandles.lookup().unreflect(method).bindTo(instance.get(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Returns the engine's intra-op thread count: how many threads its element-wise and matmul
   * kernels use. Work done on the host between engine calls (the optimisers' fused updates)
   * uses as many.
   */
  public static int intraOpThreads() {
    return Math.max(1, JniUtils.getNumThreads());
  }

  /**
   * Sets the engine's intra-op thread count for the calling thread: the kernels it runs from then on
   * use {@code threads} threads, and {@link #intraOpThreads()} on it returns that count. libtorch
   * keeps the count per thread (OpenMP's), so other threads that already ran a kernel keep theirs;
   * a thread that runs its first kernel later starts with the count set last by any thread.
   *
   * @param threads at least 1
   * @throws IllegalArgumentException below 1
   */
  public static void setIntraOpThreadsOnThisThread(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("intra-op threads " + threads + ": must be at least 1");
    }
    JniUtils.setNumThreads(threads);
  }

  /**
   * Returns a view of a float32 CPU array's own memory, without copying: writes through the view
   * change the array. The view is valid while the array (and its storage) is open.
   *
   * <p>Returns null where no such view exists: an array on another device, of another type, empty,
   * larger than 2 GiB, or not contiguous (a transposed or strided view, whose elements are not stored in
   * row-major order; a copy would take the writes and lose them). Callers then fall back to
   * engine ops.
   *
   * @param a the array
   * @return the view in native byte order, or null
   */
  public static FloatBuffer floatView(NDArray a) {
    if (IS_CONTIGUOUS == null
        || !(a instanceof PtNDArray)
        || a.getDataType() != DataType.FLOAT32
        || !Device.cpu().equals(a.getDevice())
        || a.size() == 0 // an empty tensor may have no data pointer to wrap
        || a.size() > Integer.MAX_VALUE / Float.BYTES) {
      return null;
    }
    try {
      if (!(boolean) IS_CONTIGUOUS.invokeExact(((PtNDArray) a).getHandle().longValue())) {
        return null;
      }
    } catch (Throwable e) {
      return null;
    }
    return a.toByteBuffer(true).asFloatBuffer();
  }

  /** Switches autograd recording off for the calling thread. */
  public static void noGradOnThisThread() {
    JniUtils.setGradMode(false);
  }

  /** Switches autograd recording on or off for the calling thread. */
  public static void setGradMode(boolean on) {
    JniUtils.setGradMode(on);
  }

  /** Returns whether autograd is recording on the calling thread. */
  public static boolean gradModeOnThisThread() {
    return JniUtils.isGradMode();
  }

  /**
   * Seeds the engine's global generator (dropout masks, random initialisers).
   *
   * <p>Training reseeds it at every step with a value derived from the run's seed and the step
   * number, so that a resumed run draws the same dropout masks as an uninterrupted one without
   * saving the generator's internal state.
   *
   * @param seed the seed
   */
  public static void seed(long seed) {
    Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
  }

  /**
   * Back-propagates from a scalar without a {@code GradientCollector}. DJL allows one collector at
   * a time per process; a vector-Jacobian product needed in the middle of a training step (HRKD's
   * graph, computed on detached prototypes) uses this instead. Gradients accumulate into the
   * leaves that require them, as with a collector.
   *
   * @param scalar a scalar computed while autograd was recording
   */
  public static void backward(NDArray scalar) {
    try (NDArray ones = scalar.onesLike()) {
      JniUtils.backward((PtNDArray) scalar, (PtNDArray) ones, false, false);
    }
  }

  /**
   * Runs {@code body} with autograd recording on for the calling thread, restoring the previous
   * mode afterwards. The loss service computes vector-Jacobian products with it.
   *
   * @param body what to record
   */
  public static void withGradMode(Runnable body) {
    boolean before = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
    try {
      body.run();
    } finally {
      JniUtils.setGradMode(before);
    }
  }

  /**
   * Runs {@code body} with autograd recording off for the calling thread, restoring the previous
   * mode afterwards. In-place optimiser updates on leaves need it when they run inside a training
   * step (HRKD's graph is updated while the student's step is still recording).
   *
   * @param body what to run unrecorded
   */
  public static void withoutGrad(Runnable body) {
    boolean before = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      body.run();
    } finally {
      JniUtils.setGradMode(before);
    }
  }

  /**
   * Resets a parameter's accumulated gradient to zero. PyTorch accumulates gradients across
   * backward passes until they are cleared, which is what gradient accumulation relies on.
   *
   * @param parameter an array that requires a gradient
   */
  public static void zeroGrad(NDArray parameter) {
    JniUtils.zeroGrad((PtNDArray) parameter);
  }
}
