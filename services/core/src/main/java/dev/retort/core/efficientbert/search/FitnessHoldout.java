package dev.retort.core.efficientbert.search;

import dev.retort.core.data.Dataset;
import dev.retort.core.data.Splits;

/**
 * The tail of the task's training split a search stage scores its candidates on, so that the dev
 * split stays unseen by the search (methods.md 3.4: stages 1 and 2 validate on the last 1% of
 * train, stage 3 on the last 10%).
 *
 * <p>Of n training examples the last {@code max(minExamples, int(fraction * n))} are held out, in
 * the split's own order and not shuffled, as the reference takes them ({@code datasets/glue.py:
 * 152-159}, {@code examples[-num_val:]}); candidates train on the examples before them.
 *
 * @param fraction the held-out fraction of the training split, in [0, 1)
 * @param minExamples the fewest examples held out, at least 1
 */
public record FitnessHoldout(double fraction, int minExamples) {

  /** The reference's held-out fraction of stages 1 and 2 (the last 1% of train). */
  public static final double CANDIDATE_FRACTION = 0.01;

  /** The reference's held-out fraction of stage 3 (the last 10% of train). */
  public static final double SHARED_FRACTION = 0.1;

  /** The default fewest held-out examples. */
  public static final int DEFAULT_MIN_EXAMPLES = 100;

  /**
   * The training examples of a search and the examples its fitness is measured on.
   *
   * @param train the examples candidates train on (all but the held-out tail)
   * @param heldOut the held-out tail of the training split
   */
  public record Split(Dataset train, Dataset heldOut) {}

  /** Checks the range of both values. */
  public FitnessHoldout {
    if (!(fraction >= 0 && fraction < 1) || minExamples < 1) {
      throw new IllegalArgumentException(
          "need a fraction in [0, 1) and at least 1 example; got " + fraction + ", " + minExamples);
    }
  }

  /**
   * Returns how many of n training examples are held out.
   *
   * @param n the size of the training split
   * @return {@code max(minExamples, int(fraction * n))}
   */
  public int size(int n) {
    return Math.max(minExamples, Splits.count(n, fraction));
  }

  /**
   * Returns whether a training split of n examples keeps some to train on after the hold-out.
   *
   * @param n the size of the training split
   * @return true when {@link #size} is below n
   */
  public boolean fits(int n) {
    return size(n) < n;
  }

  /**
   * Cuts the training split into the examples to train on and the held-out tail.
   *
   * @param train the task's training split
   * @return the first {@code n - size(n)} examples and the last {@code size(n)}, named {@code
   *     name + "@search-train"} and {@code name + "@holdout"}
   * @throws IllegalArgumentException if the split does not {@link #fits fit}
   */
  public Split split(Dataset train) {
    int n = train.size();
    if (!fits(n)) {
      throw new IllegalArgumentException(
          "holding out " + size(n) + " of " + n + " training examples leaves none to train on");
    }
    int rest = n - size(n);
    return new Split(
        train.withExamples(train.name() + "@search-train", train.examples().subList(0, rest)),
        train.withExamples(train.name() + "@holdout", train.examples().subList(rest, n)));
  }

  /** Returns e.g. {@code holdout=0.01,min=100}, for the state-file fingerprint. */
  @Override
  public String toString() {
    return "holdout=" + fraction + ",min=" + minExamples;
  }
}
