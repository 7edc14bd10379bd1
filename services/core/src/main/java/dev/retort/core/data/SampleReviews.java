package dev.retort.core.data;

import dev.retort.core.data.SampleLexicon.Scored;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Generates one synthetic review of a domain together with its latent sentiment score.
 *
 * <p>A review is one to three sentences; each is a neutral filler (score 0), an adjective clause, a
 * fixed phrase, two clauses joined by "and" (scores add) or a contrast "A, but B" / "although A, B"
 * / "A. However, B" (score {@code 0.3 * s_A + s_B}: the second clause decides). An adjective clause
 * scores {@code adjective * modifier}, where intensifiers multiply by 1.2-2 and downtoners by
 * 0.5-0.7 (neither is used with the strongest adjectives, score 3). Negation ("not", "never",
 * "hardly", "did not find") shifts rather than flips, as in SO-CAL (Taboada et al. 2011): {@code
 * neg(s) = -sign(s) * max(0.25, 3.5 - |s|)}, so "not good" is clearly negative but "not terrible"
 * is only mildly positive. The review's score is the sum of its sentences' scores.
 */
final class SampleReviews {
  /** A generated review. */
  record Review(String text, double score, int words) {}

  private record Clause(String text, double score) {}

  private final SampleLexicon.Domain domain;
  private final List<Scored> adjectives;
  private final List<Scored> phrases;
  private final List<String> fillers;

  SampleReviews(SampleLexicon.Domain domain) {
    this.domain = domain;
    this.adjectives = domain.adjectives();
    List<Scored> p = new ArrayList<>(SampleLexicon.SHARED_PHRASES);
    p.addAll(domain.phrases());
    this.phrases = List.copyOf(p);
    List<String> f = new ArrayList<>(SampleLexicon.SHARED_FILLERS);
    f.addAll(domain.fillers());
    this.fillers = List.copyOf(f);
  }

  /** Generates one review. */
  Review next(SeededRandom r) {
    int sentences = pickCount(r);
    List<String> parts = new ArrayList<>();
    double score = 0;
    for (int i = 0; i < sentences; i++) {
      Clause c = sentence(r);
      parts.add(capitalize(c.text()) + (r.nextDouble() < 0.15 ? "!" : "."));
      score += c.score();
    }
    String text = String.join(" ", parts);
    if (r.nextDouble() < 0.03) {
      text = emphasize(text, r);
    }
    return new Review(text, score, text.split(" ").length);
  }

  private static int pickCount(SeededRandom r) {
    double u = r.nextDouble();
    return u < 0.5 ? 1 : u < 0.85 ? 2 : 3;
  }

  private Clause sentence(SeededRandom r) {
    double u = r.nextDouble();
    if (u < 0.2) {
      return new Clause(pick(fillers, r), 0);
    }
    if (u < 0.55) {
      return adjectiveClause(r);
    }
    if (u < 0.7) {
      Scored p = pick(phrases, r);
      return new Clause(p.text(), p.score());
    }
    if (u < 0.8) {
      Clause a = adjectiveClause(r);
      Clause b = r.nextDouble() < 0.5 ? adjectiveClause(r) : phrase(r);
      return new Clause(a.text() + " and " + b.text(), a.score() + b.score());
    }
    return contrast(r);
  }

  private Clause phrase(SeededRandom r) {
    Scored p = pick(phrases, r);
    return new Clause(p.text(), p.score());
  }

  private Clause contrast(SeededRandom r) {
    Clause a = adjectiveClause(r);
    Clause b = r.nextDouble() < 0.7 ? adjectiveClause(r) : phrase(r);
    if (r.nextDouble() < 0.7) {
      for (int tries = 0; tries < 20 && Math.signum(a.score()) == Math.signum(b.score()); tries++) {
        b = adjectiveClause(r);
      }
    }
    double score = 0.3 * a.score() + b.score();
    switch (r.nextInt(4)) {
      case 0:
        return new Clause(a.text() + ", but " + b.text(), score);
      case 1:
        return new Clause(a.text() + ", yet " + b.text(), score);
      case 2:
        return new Clause("although " + a.text() + ", " + b.text(), score);
      default:
        return new Clause(a.text() + ". however, " + b.text(), score);
    }
  }

  private Clause adjectiveClause(SeededRandom r) {
    String noun = pick(domain.nouns(), r);
    boolean plural = noun.endsWith("s");
    String be = r.nextDouble() < 0.5 ? (plural ? "are" : "is") : (plural ? "were" : "was");
    Scored adj =
        r.nextDouble() < 0.6 || SampleLexicon.SHARED_ADJECTIVES.isEmpty()
            ? pick(adjectives, r)
            : pick(SampleLexicon.SHARED_ADJECTIVES, r);
    boolean negated = r.nextDouble() < 0.25;
    String modifier = "";
    double weight = 1;
    double u = r.nextDouble();
    boolean extreme = Math.abs(adj.score()) >= 3; // no "very superb" or "somewhat perfect"
    if (u < 0.3 && !extreme) {
      int i = r.nextInt(SampleLexicon.INTENSIFIERS.size());
      modifier = SampleLexicon.INTENSIFIERS.get(i) + " ";
      weight = SampleLexicon.INTENSIFIER_WEIGHTS[i];
    } else if (u < 0.45 && !negated && !extreme) {
      int i = r.nextInt(SampleLexicon.DOWNTONERS.size());
      modifier = SampleLexicon.DOWNTONERS.get(i) + " ";
      weight = SampleLexicon.DOWNTONER_WEIGHTS[i];
    }
    double s = adj.score() * weight;
    String a = adj.text();
    if (negated) {
      s = -Math.signum(s) * Math.max(0.25, 3.5 - Math.abs(s));
      int template = r.nextInt(4);
      if (template == 3 && !modifier.isEmpty()) {
        template = 0; // "hardly very good" is not English
      }
      switch (template) {
        case 0:
          return new Clause("the " + noun + " " + be + " not " + modifier + a, s);
        case 1:
          return new Clause("the " + noun + " " + be + " never " + modifier + a, s);
        case 2:
          return new Clause("i did not find the " + noun + " " + modifier + a, s);
        default:
          return new Clause("the " + noun + " " + be + " hardly " + a, s);
      }
    }
    switch (r.nextInt(4)) {
      case 0:
        return new Clause("the " + noun + " " + be + " " + modifier + a, s);
      case 1:
        return new Clause("i found the " + noun + " " + modifier + a, s);
      case 2:
        return new Clause((plural ? "these " : "this ") + noun + " " + be + " " + modifier + a, s);
      default:
        return new Clause("the " + noun + (plural ? " seem " : " seems ") + modifier + a, s);
    }
  }

  private static <T> T pick(List<T> list, SeededRandom r) {
    return list.get(r.nextInt(list.size()));
  }

  /** Capitalizes the first letter and the pronoun "i". */
  private static String capitalize(String s) {
    String t = (" " + s + " ").replace(" i ", " I ").replace(". however", ". However").strip();
    return Character.toUpperCase(t.charAt(0)) + t.substring(1);
  }

  /** Writes one word of four letters or more in capitals, as shouting reviewers do. */
  private static String emphasize(String text, SeededRandom r) {
    String[] words = text.split(" ");
    int i = r.nextInt(words.length);
    if (words[i].length() >= 4) {
      words[i] = words[i].toUpperCase(Locale.ROOT);
    }
    return String.join(" ", words);
  }
}
