package dev.retort.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinksTest {
  @TempDir Path tmp;

  /** Writes the same three files, in the order given. */
  private static void writeFiles(FileSink sink, String... order) throws IOException {
    for (String name : order) {
      switch (name) {
        case "config.json" -> sink.writeString(name, "{\"hidden_size\": 8}\n");
        case "vocab.txt" -> sink.writeString(name, "[PAD]\n[UNK]\n");
        default -> {
          // Two writes: a digest must not depend on how the bytes were split.
          sink.write(name, ch -> {
            FileSink.writeFully(ch, ByteBuffer.wrap(new byte[] {1, 2, 3}));
            FileSink.writeFully(ch, ByteBuffer.allocateDirect(4).putInt(0, 42));
          });
        }
      }
    }
  }

  @Test
  void theDigestOfWhatWouldBeWrittenEqualsTheDigestOfTheWrittenDirectory() throws IOException {
    DigestSink digest = new DigestSink();
    writeFiles(digest, "vocab.txt", "model.bin", "config.json");
    Path dir = tmp.resolve("model");
    writeFiles(new DirectorySink(dir), "config.json", "vocab.txt", "model.bin");

    assertThat(digest.hex()).isEqualTo(DigestSink.of(dir)).hasSize(64);
  }

  @Test
  void aDigestOverADirectoryWritesTheFilesAndHashesThemInOnePass() throws IOException {
    Path dir = tmp.resolve("tee");
    DigestSink tee = DigestSink.over(new DirectorySink(dir));
    writeFiles(tee, "model.bin", "config.json", "vocab.txt");
    DigestSink alone = new DigestSink();
    writeFiles(alone, "config.json", "vocab.txt", "model.bin");

    assertThat(tee.hex()).isEqualTo(alone.hex()).isEqualTo(DigestSink.of(dir));
    assertThat(dir.resolve("vocab.txt")).hasContent("[PAD]\n[UNK]");
    assertThat(tee.stores()).isTrue();
    assertThat(alone.stores()).isFalse();
  }

  @Test
  void theDigestIsShaOfNamesAndFileDigestsInNameOrder() throws Exception {
    DigestSink sink = new DigestSink();
    sink.writeString("b.txt", "bee");
    sink.writeString("a.txt", "ay");
    MessageDigest outer = MessageDigest.getInstance("SHA-256");
    for (String[] f : new String[][] {{"a.txt", "ay"}, {"b.txt", "bee"}}) {
      outer.update(f[0].getBytes(StandardCharsets.UTF_8));
      outer.update((byte) 0);
      outer.update(MessageDigest.getInstance("SHA-256").digest(f[1].getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(sink.hex()).isEqualTo(HexFormat.of().formatHex(outer.digest()));
  }

  @Test
  void aChangedByteOrNameChangesTheDigest() throws IOException {
    DigestSink base = new DigestSink();
    base.writeString("config.json", "{}");
    DigestSink otherByte = new DigestSink();
    otherByte.writeString("config.json", "{ }");
    DigestSink otherName = new DigestSink();
    otherName.writeString("config2.json", "{}");
    // Moving bytes from the end of one file to the start of the next is a different content.
    DigestSink split1 = new DigestSink();
    split1.writeString("a", "xy");
    split1.writeString("b", "z");
    DigestSink split2 = new DigestSink();
    split2.writeString("a", "x");
    split2.writeString("b", "yz");

    assertThat(base.hex()).isNotEqualTo(otherByte.hex()).isNotEqualTo(otherName.hex());
    assertThat(split1.hex()).isNotEqualTo(split2.hex());
  }

  @Test
  void aDirectoryFileAppearsOnlyWhenCompleteAndLeavesNoTemporaryFile() throws IOException {
    Path dir = tmp.resolve("out");
    DirectorySink sink = new DirectorySink(dir);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("f.txt"), "old");
    sink.write("f.txt", ch -> {
      FileSink.writeFully(ch, ByteBuffer.wrap("new".getBytes(StandardCharsets.UTF_8)));
      assertThat(dir.resolve("f.txt")).hasContent("old");
    });
    assertThat(dir.resolve("f.txt")).hasContent("new");
    assertThat(names(dir)).containsExactly("f.txt");
  }

  @Test
  void aWriterThatFailsHalfWayLeavesTheOldFileAndNoDigestEntry() throws IOException {
    Path dir = tmp.resolve("out");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("f.txt"), "old");
    FileSink.Content failing = ch -> {
      FileSink.writeFully(ch, ByteBuffer.wrap("half".getBytes(StandardCharsets.UTF_8)));
      throw new IOException("disk full");
    };

    assertThatThrownBy(() -> new DirectorySink(dir).write("f.txt", failing)).hasMessage("disk full");
    assertThat(dir.resolve("f.txt")).hasContent("old");
    assertThat(names(dir)).containsExactly("f.txt");

    DigestSink digest = new DigestSink();
    String empty = digest.hex();
    assertThatThrownBy(() -> digest.write("f.txt", failing)).hasMessage("disk full");
    assertThat(digest.hex()).isEqualTo(empty);
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }
}
