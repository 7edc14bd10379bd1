package dev.retort.core.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Gives the memory that the C library's {@code malloc} keeps after a {@code free} back to the
 * system: glibc's {@code malloc_trim(0)}.
 *
 * <p>libtorch takes a tensor's memory from {@code malloc}. A tensor of a few MB freed into an
 * arena stays resident there for the next allocation of that arena, and a service that loads one
 * BERT-base after another (the teacher's model cache, the evaluator's scoring) leaves freed
 * models' pages resident among live ones: on two cores the local teacher grew to 10 GB, of which
 * the JVM's own share was about 1 GB, and was killed for memory. Call {@link #trim()} after such
 * a release (a model closed, a scoring pass done); not after every forward pass, whose next pass
 * would fault the same pages in again.
 *
 * <p>Where the C library has no {@code malloc_trim} (not glibc: musl, macOS) {@link #trim()} does
 * nothing.
 */
public final class NativeHeap {
  private static final Function MALLOC_TRIM = lookUp();

  private NativeHeap() {}

  private static Function lookUp() {
    try {
      return NativeLibrary.getInstance("c").getFunction("malloc_trim");
    } catch (LinkageError | RuntimeException e) {
      // No C library by that name, no such function, or JNA's own native part would not load
      // (an UnsatisfiedLinkError, or a NoClassDefFoundError once its class failed to initialise):
      // trimming is an optimisation, and its absence must not stop a service.
      return null;
    }
  }

  /** Returns whether this C library can trim ({@code malloc_trim} exists). */
  public static boolean available() {
    return MALLOC_TRIM != null;
  }

  /**
   * Returns the free memory of every malloc arena to the system, keeping what is in use.
   *
   * @return whether any memory was returned; false where trimming is not {@linkplain #available()
   *     available}
   */
  public static boolean trim() {
    if (MALLOC_TRIM == null) {
      return false;
    }
    return MALLOC_TRIM.invokeInt(new Object[] {0L}) == 1; // size_t pad: 0, keep nothing spare
  }
}
