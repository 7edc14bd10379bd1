package dev.retort.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AmazonReviewsTest {
  @TempDir Path dir;

  private void writeReviews(String domain, String label, int count) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add("<review>");
      lines.add("<rating>");
      lines.add(label.equals("positive") ? "5.0" : "1.0");
      lines.add("</rating>");
      lines.add("<review_text>");
      lines.add("  " + label + " review " + i + " ");
      lines.add("");
      lines.add("second line");
      lines.add("</review_text>");
      lines.add("</review>");
    }
    Path d = Files.createDirectories(dir.resolve(domain));
    Files.write(d.resolve(label + ".review"), lines);
  }

  @Test
  void reviewTextLinesAreStrippedAndJoinedWithSpaces() throws IOException {
    writeReviews("toys", "negative", 2);
    assertThat(AmazonReviews.parseReviews(dir.resolve("toys/negative.review")))
        .containsExactly("negative review 0 second line", "negative review 1 second line");
  }

  @Test
  void publishedDomainsWithTwoThousandReviewsGetThePublishedSizes() throws IOException {
    writeReviews("books", "negative", 1000);
    writeReviews("books", "positive", 1000);
    MultiDomainData data = AmazonReviews.read(dir, List.of("books"), 42);
    DomainSplits books = data.domain("books");
    assertThat(books.train().size()).isEqualTo(1631);
    assertThat(books.dev().size()).isEqualTo(170);
    assertThat(books.test().size()).isEqualTo(199);
    assertThat(books.train().labels().labels()).containsExactly("negative", "positive");
    Set<String> ids = new HashSet<>();
    for (Dataset d : List.of(books.train(), books.dev(), books.test())) {
      d.examples().forEach(e -> ids.add(e.id()));
    }
    assertThat(ids).hasSize(2000);
    long positives =
        books.train().examples().stream().filter(e -> e.label().equals("positive")).count();
    assertThat(positives).isBetween(700L, 930L);
  }

  @Test
  void otherDomainsGetProportionalSizes() {
    assertThat(AmazonReviews.splitSizes("toys", 7)).containsExactly(5, 1, 1);
    assertThat(AmazonReviews.splitSizes("dvd", 2000)).containsExactly(1621, 194, 185);
    assertThat(AmazonReviews.splitSizes("dvd", 1000)).containsExactly(810, 90, 100);
  }

  @Test
  void theShuffleDependsOnlyOnSeedAndDomain() throws IOException {
    writeReviews("toys", "negative", 10);
    writeReviews("toys", "positive", 10);
    writeReviews("games", "negative", 10);
    writeReviews("games", "positive", 10);
    MultiDomainData a = AmazonReviews.read(dir, List.of("toys", "games"), 7);
    MultiDomainData b = AmazonReviews.read(dir, List.of("games", "toys"), 7);
    MultiDomainData c = AmazonReviews.read(dir, List.of("toys", "games"), 8);
    assertThat(a.domain("toys").train().examples()).isEqualTo(b.domain("toys").train().examples());
    assertThat(a.domain("toys").train().examples())
        .isNotEqualTo(c.domain("toys").train().examples());
    assertThat(a.domains().labels()).containsExactly("toys", "games");
  }

  @Test
  void missingFileExplainsTheExpectedLayout() {
    assertThatThrownBy(() -> AmazonReviews.read(dir, List.of("books"), 42))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("negative.review")
        .hasMessageContaining("<dir>/<domain>/positive.review");
  }
}
