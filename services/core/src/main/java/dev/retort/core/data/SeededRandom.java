package dev.retort.core.data;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A small, fully specified pseudo-random generator for data order: SplitMix64.
 *
 * <p>Every shuffle in the data layer goes through this class, so orders depend only on the seed
 * (and stream keys), never on the JDK version, hash order or thread timing. The algorithm:
 *
 * <pre>
 *   state += 0x9E3779B97F4A7C15
 *   z = (state ^ (state >>> 30)) * 0xBF58476D1CE4E5B9
 *   z = (z ^ (z >>> 27)) * 0x94D049BB133111EB
 *   next = z ^ (z >>> 31)
 * </pre>
 *
 * <p>Independent streams for (seed, epoch, domain, ...) come from {@link #of(long, long...)}, which
 * folds each key into the state with one SplitMix64 step. Not thread-safe; not for cryptography.
 */
public final class SeededRandom {
  private static final long GAMMA = 0x9E3779B97F4A7C15L;

  private long state;

  /**
   * Creates a generator from a seed.
   *
   * @param seed the seed
   */
  public SeededRandom(long seed) {
    this.state = seed;
  }

  /**
   * Creates a generator for a sub-stream: {@code of(seed, a, b)} differs from {@code of(seed, b,
   * a)} and from {@code of(seed, a)}.
   *
   * @param seed the base seed
   * @param keys stream keys such as an epoch or a domain index
   * @return the generator
   */
  public static SeededRandom of(long seed, long... keys) {
    long s = mix(seed + GAMMA);
    for (long k : keys) {
      s = mix(s ^ mix(k + GAMMA * 2));
    }
    return new SeededRandom(s);
  }

  /**
   * Creates a generator for a sub-stream named by a string (hashed with 64-bit FNV-1a over its
   * UTF-8 bytes, so the result is the same on every JVM).
   *
   * @param seed the base seed
   * @param key the stream name, such as a domain name
   * @return the generator
   */
  public static SeededRandom of(long seed, String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return of(seed, h);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Returns the next 64 random bits. */
  public long nextLong() {
    state += GAMMA;
    return mix(state);
  }

  /**
   * Returns a uniform integer in {@code [0, bound)}, without modulo bias (rejection sampling on 63
   * bits).
   *
   * @param bound the exclusive upper bound, at least 1
   * @return the integer
   */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    long u = nextLong() >>> 1;
    long r = u % bound;
    while (u - r + (bound - 1) < 0) {
      u = nextLong() >>> 1;
      r = u % bound;
    }
    return (int) r;
  }

  /** Returns a uniform double in {@code [0, 1)} from the top 53 bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /**
   * Shuffles an array in place with the Fisher-Yates algorithm: for i from n-1 down to 1, swap
   * element i with element {@code nextInt(i + 1)}.
   *
   * @param a the array
   */
  public void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /**
   * Shuffles a list in place with the same algorithm as {@link #shuffle(int[])}.
   *
   * @param list the list, mutable
   * @param <T> the element type
   */
  public <T> void shuffle(List<T> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      list.set(j, list.set(i, list.get(j)));
    }
  }

  /**
   * Returns a random permutation of {@code 0..n-1}.
   *
   * @param n the size
   * @return the permutation
   */
  public int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    shuffle(p);
    return p;
  }
}
