package dev.retort.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deterministic splits and few-shot subsets; every random choice comes from a {@link SeededRandom},
 * so results depend only on the seed and the input order.
 */
public final class Splits {
  private Splits() {}

  /**
   * Returns a shuffled copy.
   *
   * @param items the items
   * @param seed the seed
   * @param <T> the element type
   * @return the items in a seeded random order
   */
  public static <T> List<T> shuffled(List<T> items, long seed) {
    List<T> copy = new ArrayList<>(items);
    new SeededRandom(seed).shuffle(copy);
    return copy;
  }

  /**
   * Cuts a list into consecutive parts of the given sizes.
   *
   * @param items the items
   * @param sizes the part sizes; they must add up to the number of items
   * @param <T> the element type
   * @return the parts, unmodifiable
   */
  public static <T> List<List<T>> cut(List<T> items, int... sizes) {
    int total = Arrays.stream(sizes).sum();
    if (total != items.size() || Arrays.stream(sizes).anyMatch(s -> s < 0)) {
      throw new IllegalArgumentException(
          "sizes " + Arrays.toString(sizes) + " do not add up to " + items.size());
    }
    List<List<T>> parts = new ArrayList<>();
    int start = 0;
    for (int s : sizes) {
      parts.add(List.copyOf(items.subList(start, start + s)));
      start += s;
    }
    return List.copyOf(parts);
  }

  /**
   * Returns split sizes proportional to fractions: part i (i >= 1) gets {@code round(n *
   * fractions[i-1])} items and part 0 the rest.
   *
   * <p>Example: {@code proportionalSizes(2000, 0.09, 0.10)} is {@code [1620, 180, 200]}.
   *
   * @param n the number of items
   * @param fractions the fractions of parts 1, 2, ...; their sum must be at most 1
   * @return the sizes, adding up to n
   */
  public static int[] proportionalSizes(int n, double... fractions) {
    int[] sizes = new int[fractions.length + 1];
    int rest = n;
    for (int i = 0; i < fractions.length; i++) {
      if (fractions[i] < 0) {
        throw new IllegalArgumentException("negative fraction " + fractions[i]);
      }
      sizes[i + 1] = (int) Math.round(n * fractions[i]);
      rest -= sizes[i + 1];
    }
    if (rest < 0) {
      throw new IllegalArgumentException("fractions " + Arrays.toString(fractions) + " exceed 1");
    }
    sizes[0] = rest;
    return sizes;
  }

  /**
   * Returns the number of items a fraction keeps, as Python's {@code int(fraction * n)} does
   * (truncation toward zero).
   *
   * @param n the number of items
   * @param fraction the fraction, 0 to 1
   * @return {@code floor(fraction * n)}
   */
  public static int count(int n, double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in [0, 1], got " + fraction);
    }
    return (int) (fraction * n);
  }

  /**
   * Returns the first {@code int(fraction * n)} items (HRKD's few-shot rule for MNLI).
   *
   * @param items the items
   * @param fraction the fraction to keep
   * @param <T> the element type
   * @return the prefix
   */
  public static <T> List<T> prefix(List<T> items, double fraction) {
    return List.copyOf(items.subList(0, count(items.size(), fraction)));
  }

  /**
   * Returns a seeded random subset of {@code max(1, int(fraction * n))} items (0 if n or the
   * fraction is 0), in their original order.
   *
   * @param items the items
   * @param fraction the fraction to keep
   * @param seed the seed
   * @param <T> the element type
   * @return the subset
   */
  public static <T> List<T> subset(List<T> items, double fraction, long seed) {
    int k = count(items.size(), fraction);
    if (k == 0 && fraction > 0 && !items.isEmpty()) {
      k = 1;
    }
    int[] perm = new SeededRandom(seed).permutation(items.size());
    int[] chosen = Arrays.copyOf(perm, k);
    Arrays.sort(chosen);
    List<T> out = new ArrayList<>(k);
    for (int i : chosen) {
      out.add(items.get(i));
    }
    return List.copyOf(out);
  }

  /**
   * Returns a few-shot subset stratified by (domain, label): each group keeps {@link #subset} of
   * its examples with a seed derived from the group, and the original order is kept.
   *
   * @param data the data set
   * @param fraction the fraction of each group to keep
   * @param seed the seed
   * @return the subset, named {@code name + "@" + fraction}
   */
  public static Dataset fewShot(Dataset data, double fraction, long seed) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < data.size(); i++) {
      Example e = data.get(i);
      String key = e.domain() + "\u0000" + e.label();
      groups.computeIfAbsent(key, x -> new ArrayList<>()).add(i);
    }
    boolean[] keep = new boolean[data.size()];
    for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
      SeededRandom groupSeed = SeededRandom.of(seed, g.getKey());
      for (int i : subset(g.getValue(), fraction, groupSeed.nextLong())) {
        keep[i] = true;
      }
    }
    List<Example> kept = new ArrayList<>();
    for (int i = 0; i < keep.length; i++) {
      if (keep[i]) {
        kept.add(data.get(i));
      }
    }
    return data.withExamples(data.name() + "@" + fraction, kept);
  }
}
