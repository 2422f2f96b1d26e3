package io.sparksweep.search;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Suggestions for misspelt keys and values, by optimal-string-alignment edit distance. */
final class DidYouMean {
  private DidYouMean() {}

  /**
   * The candidate closest to {@code word} (case-insensitive, {@code -} read as {@code _}) if it is
   * close enough: at most 2 edits, or a third of the candidate's length for long names.
   */
  static Optional<String> suggest(String word, Collection<String> candidates) {
    String w = normalize(word);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(w, normalize(c));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    if (best == null || bestDistance > Math.max(2, best.length() / 3)) {
      return Optional.empty();
    }
    return Optional.of(best);
  }

  /** " did you mean 'x'?" or the empty string. */
  static String hint(String word, Collection<String> candidates) {
    return suggest(word, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
  }

  /**
   * Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
   * adjacent characters each cost 1.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replace('-', '_');
  }
}
