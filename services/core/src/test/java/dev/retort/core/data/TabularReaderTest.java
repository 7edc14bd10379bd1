package dev.retort.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularReaderTest {
  @TempDir Path dir;

  private static final LabelMap SENTIMENT = LabelMap.of("negative", "positive");

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  private static TabularReader.Builder sentiment() {
    return TabularReader.builder()
        .setTextColumn("text")
        .optLabelColumn("label")
        .optLabels(SENTIMENT);
  }

  @Test
  void csvHandlesQuotedCommasLineBreaksAndDoubledQuotes() throws IOException {
    Path p =
        write(
            "d.csv",
            "\uFEFFid,text,label,domain\r\n"
                + "a1,\"Good, really \"\"good\"\"\",positive,books\r\n"
                + "a2,\"two\nlines\",negative,kitchen\r\n"
                + "\r\n"
                + "a3,plain,positive,books");
    Dataset d = sentiment().optDomainColumn("domain").optIdColumn("id").build().read(p);
    assertThat(d.size()).isEqualTo(3);
    assertThat(d.get(0))
        .isEqualTo(new Example("Good, really \"good\"", null, "positive", "books", "a1"));
    assertThat(d.get(1).textA()).isEqualTo("two\nlines");
    assertThat(d.get(2).domain()).isEqualTo("books");
    assertThat(d.labelIds()).containsExactly(1, 0, 1);
    assertThat(d.domains()).containsExactly("books", "kitchen");
  }

  @Test
  void csvErrorsNameTheLineOfTheRecord() throws IOException {
    Path extra = write("e.csv", "text,label\nok,positive\n\"bad\"x,positive\n");
    assertThatThrownBy(() -> sentiment().build().read(extra))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("e.csv:3")
        .hasMessageContaining("after a closing quote");
    Path open = write("f.csv", "text,label\nok,positive\n\"never closed,positive\n");
    assertThatThrownBy(() -> sentiment().build().read(open)).hasMessageContaining("f.csv:3");
    Path fields = write("g.csv", "text,label\nok,positive,extra\n");
    assertThatThrownBy(() -> sentiment().build().read(fields))
        .hasMessageContaining("g.csv:2")
        .hasMessageContaining("3 fields but the header has 2");
  }

  @Test
  void missingColumnListsTheAvailableOnes() throws IOException {
    Path p = write("d.tsv", "sentence\tlabel\nhello\tpositive\n");
    assertThatThrownBy(() -> sentiment().build().read(p))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("no column 'text'")
        .hasMessageContaining("[sentence, label]");
  }

  @Test
  void unknownLabelNamesFileLineAndKnownLabels() throws IOException {
    Path p = write("d.tsv", "text\tlabel\nhello\tpositive\nmeh\tneutral\n");
    assertThatThrownBy(() -> sentiment().build().read(p))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("d.tsv:3")
        .hasMessageContaining("unknown label 'neutral'")
        .hasMessageContaining("[negative, positive]");
  }

  @Test
  void tsvPairsWithDefaultIds() throws IOException {
    Path p = write("pairs.tsv", "a\tb\tlabel\nx \"y\tz\tpositive\n");
    Dataset d = sentiment().setTextColumn("a").optTextBColumn("b").build().read(p);
    assertThat(d.get(0)).isEqualTo(new Example("x \"y", "z", "positive", null, "pairs.tsv:2"));
  }

  @Test
  void jsonlFieldsAreLookedUpByNameAndNumbersBecomeStrings() throws IOException {
    Path p =
        write(
            "d.jsonl",
            "{\"t\": \"fine\", \"y\": 2.5, \"g\": \"news\"}\n\n"
                + "{\"t\": \"bad\", \"y\": 0, \"g\": null}\n");
    Dataset d =
        TabularReader.builder()
            .setTextColumn("t")
            .optLabelColumn("y")
            .optDomainColumn("g")
            .optRegression()
            .build()
            .read(p);
    assertThat(d.taskType()).isEqualTo(TaskType.REGRESSION);
    assertThat(d.targets()).containsExactly(2.5f, 0f);
    assertThat(d.get(0).domain()).isEqualTo("news");
    assertThat(d.get(1).domain()).isNull();
    assertThat(d.get(1).id()).isEqualTo("d.jsonl:3");
  }

  @Test
  void jsonlMissingFieldListsTheFields() throws IOException {
    Path p =
        write(
            "d.jsonl",
            "{\"text\": \"ok\", \"label\": \"positive\"}\n"
                + "{\"txt\": \"no\", \"label\": \"negative\"}\n");
    assertThatThrownBy(() -> sentiment().build().read(p))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("d.jsonl:2")
        .hasMessageContaining("no field 'text'")
        .hasMessageContaining("[txt, label]");
  }

  @Test
  void unlabelledFilesAndExplicitFormat() throws IOException {
    Path p = write("data.txt", "text\nhello\n");
    Dataset d =
        TabularReader.builder().setTextColumn("text").optFormat(TabularFormat.TSV).build().read(p);
    assertThat(d.isLabelled()).isFalse();
    assertThatThrownBy(() -> TabularReader.builder().setTextColumn("text").build().read(p))
        .hasMessageContaining("cannot tell the format");
  }
}
