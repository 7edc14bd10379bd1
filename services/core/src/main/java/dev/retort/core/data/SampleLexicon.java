package dev.retort.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The word lists of {@link SampleData}: nouns, scored adjectives and phrases, and neutral filler,
 * shared and per domain.
 *
 * <p>Scores are sentiment strengths on a rough -3..3 scale. A few adjectives change sign with the
 * domain ("unpredictable" is good in a plot, bad in a toaster), as in real multi-domain reviews.
 */
final class SampleLexicon {
  /** A phrase with a sentiment score. */
  record Scored(String text, double score) {}

  /** Everything the generator needs for one domain. */
  record Domain(
      String name,
      List<String> nouns,
      List<Scored> adjectives,
      List<Scored> phrases,
      List<String> fillers) {}

  /** The built-in domains. */
  static final List<String> DOMAINS = List.of("books", "electronics", "kitchen", "movies");

  static final List<Scored> SHARED_ADJECTIVES =
      scored(
          "excellent 3",
          "amazing 3",
          "wonderful 3",
          "fantastic 3",
          "outstanding 3",
          "superb 3",
          "perfect 3",
          "great 2.5",
          "good 1.5",
          "nice 1.2",
          "solid 1.5",
          "decent 1",
          "pleasant 1.2",
          "fine 0.8",
          "okay 0.5",
          "average -0.5",
          "mediocre -1.2",
          "bland -1.2",
          "weak -1.5",
          "disappointing -1.8",
          "poor -2",
          "bad -2",
          "terrible -3",
          "awful -3",
          "horrible -3",
          "dreadful -3",
          "useless -3");

  static final List<Scored> SHARED_PHRASES =
      scored(
          "i would buy it again|2",
          "it was worth every penny|2.5",
          "i would recommend it to anyone|2.5",
          "it exceeded my expectations|2.5",
          "it does the job|1",
          "it is worth the price|1.5",
          "i would not recommend it|-2.5",
          "it is hardly worth the money|-2",
          "it was a complete waste of money|-3",
          "it fell short of my expectations|-2",
          "i regret buying it|-2.5",
          "i expected more for the price|-1.5");

  static final List<String> SHARED_FILLERS =
      List.of(
          "i bought it last week",
          "it arrived on a tuesday",
          "my sister recommended it",
          "i ordered it for my father",
          "i have had it for about a month",
          "it came in a plain box",
          "i saw it mentioned on a forum",
          "a friend asked me about it",
          "i picked it up during a sale",
          "this is my second review here");

  static final List<String> INTENSIFIERS =
      List.of("very", "really", "extremely", "incredibly", "quite", "so");
  static final double[] INTENSIFIER_WEIGHTS = {1.5, 1.5, 2.0, 2.0, 1.2, 1.5};

  static final List<String> DOWNTONERS = List.of("somewhat", "slightly", "fairly", "a bit");
  static final double[] DOWNTONER_WEIGHTS = {0.6, 0.5, 0.7, 0.5};

  private static final Map<String, Domain> BUILT_IN =
      Map.of(
          "books",
          new Domain(
              "books",
              List.of(
                  "book",
                  "novel",
                  "plot",
                  "author",
                  "story",
                  "ending",
                  "chapter",
                  "writing",
                  "prose",
                  "narrator",
                  "sequel",
                  "biography",
                  "dialogue",
                  "characters"),
              scored(
                  "gripping 2.5",
                  "moving 2",
                  "thoughtful 1.5",
                  "clever 2",
                  "engaging 2",
                  "boring -2",
                  "tedious -2",
                  "shallow -1.5",
                  "confusing -1.5",
                  "predictable -1.5",
                  "unpredictable 2",
                  "simple -1"),
              scored(
                  "i could not put it down|3", "i read it in one sitting|2.5",
                  "i gave up after two chapters|-2.5", "i had to force myself to finish it|-2"),
              List.of(
                  "i read it on a long flight", "it is the third book in the series",
                  "the paperback has a red cover", "i borrowed it from the library")),
          "electronics",
          new Domain(
              "electronics",
              List.of(
                  "battery",
                  "screen",
                  "charger",
                  "speaker",
                  "camera",
                  "laptop",
                  "cable",
                  "keyboard",
                  "headphones",
                  "remote",
                  "display",
                  "tablet",
                  "phone",
                  "router"),
              scored(
                  "reliable 2",
                  "responsive 2",
                  "sharp 1.5",
                  "crisp 1.5",
                  "bright 1.2",
                  "durable 2",
                  "flimsy -2",
                  "slow -1.5",
                  "noisy -1.5",
                  "fragile -1.5",
                  "dim -1.2",
                  "unreliable -2",
                  "unpredictable -2",
                  "simple 1.5"),
              scored(
                  "the battery lasts all day|2", "it set up in minutes|2",
                  "it stopped working after a month|-3", "it keeps losing the connection|-2.5"),
              List.of(
                  "it comes with a short cable", "i use it mostly at work",
                  "the box included a manual", "it is the black model")),
          "kitchen",
          new Domain(
              "kitchen",
              List.of(
                  "blender", "pan", "knife", "kettle", "toaster", "mixer", "skillet", "pot", "lid",
                  "handle", "grater", "blade", "oven", "spatula"),
              scored(
                  "sturdy 2",
                  "durable 2",
                  "sharp 1.5",
                  "quiet 1.5",
                  "solid 1.5",
                  "flimsy -2",
                  "rusty -2.5",
                  "dull -1.5",
                  "sticky -1.5",
                  "cheap -1.5",
                  "loud -1.5",
                  "unpredictable -2",
                  "simple 1.5"),
              scored(
                  "it cleans up in seconds|2", "it heats up evenly|2",
                  "it rusted after one wash|-3", "the coating peeled off within a week|-2.5"),
              List.of(
                  "i cook for a family of four", "it sits next to the sink",
                  "i use it almost every morning", "it is the larger size")),
          "movies",
          new Domain(
              "movies",
              List.of(
                  "movie",
                  "film",
                  "acting",
                  "soundtrack",
                  "plot",
                  "cast",
                  "director",
                  "script",
                  "ending",
                  "scene",
                  "villain",
                  "sequel",
                  "dialogue",
                  "pacing"),
              scored(
                  "hilarious 2.5",
                  "thrilling 2.5",
                  "touching 2",
                  "stunning 2.5",
                  "clever 2",
                  "boring -2",
                  "predictable -1.5",
                  "slow -1.5",
                  "clumsy -1.5",
                  "forgettable -1.5",
                  "unpredictable 2",
                  "simple -1"),
              scored(
                  "i laughed the whole time|2.5", "i would watch it again|2",
                  "i fell asleep halfway through|-2.5", "we turned it off after an hour|-2.5"),
              List.of(
                  "we watched it on a friday night", "it is about two hours long",
                  "i saw it in an old theater", "my brother picked it")));

  private SampleLexicon() {}

  /**
   * Returns the lexicon of a domain. Built-in domains have their own nouns, adjectives, phrases and
   * fillers; any other name gets generic product words.
   *
   * @param name the domain name
   * @return the lexicon
   */
  static Domain domain(String name) {
    Domain d = BUILT_IN.get(name);
    if (d != null) {
      return d;
    }
    return new Domain(
        name,
        List.of("product", "item", "design", "quality", "price", "package", "material"),
        scored("sturdy 2", "reliable 2", "flimsy -2", "cheap -1.5"),
        List.of(),
        List.of("it is the standard model", "i use it every day"));
  }

  private static List<Scored> scored(String... entries) {
    List<Scored> out = new ArrayList<>();
    for (String e : entries) {
      int split = e.contains("|") ? e.lastIndexOf('|') : e.lastIndexOf(' ');
      out.add(new Scored(e.substring(0, split), Double.parseDouble(e.substring(split + 1))));
    }
    return List.copyOf(out);
  }
}
