package dev.retort.core.job;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** "Did you mean" suggestions by edit distance. */
final class Suggestions {
  private Suggestions() {}

  /**
   * Returns the candidate the input most likely meant: the only one that has the input as one of
   * its hyphen-, underscore- or dot-separated parts ({@code emd} for {@code bert-emd}), else the
   * closest by edit distance, or null if none is within a third of the input's length (at least 2
   * edits).
   */
  static String closest(String input, Collection<String> candidates) {
    String in = input.toLowerCase(Locale.ROOT);
    List<String> byPart = candidates.stream()
        .filter(c -> Arrays.asList(c.toLowerCase(Locale.ROOT).split("[-_.]")).contains(in))
        .toList();
    if (byPart.size() == 1 && !in.isEmpty()) {
      return byPart.get(0);
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(in, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return bestDistance <= Math.max(2, input.length() / 3) ? best : null;
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
