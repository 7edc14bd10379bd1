package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  @Test
  void valueThatFitsIsOneChunkWithoutHeaders() {
    byte[] value = new byte[100];

    List<Chunker.Chunk> chunks = new Chunker(100).split(value);

    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).value()).isSameAs(value);
    assertThat(chunks.get(0).header()).isEmpty();
  }

  @Test
  void largerValueIsSplitIntoEqualChunksAndARemainder() throws Exception {
    byte[] value = new byte[250];
    new Random(1).nextBytes(value);

    List<Chunker.Chunk> chunks = new Chunker(100).split(value, "m-1");

    assertThat(chunks).extracting(c -> c.value().length).containsExactly(100, 100, 50);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      ChunkHeader h = chunks.get(i).header().orElseThrow();
      assertThat(h).isEqualTo(new ChunkHeader("m-1", i, 3, 250, sha));
      joined.write(chunks.get(i).value());
    }
    assertThat(joined.toByteArray()).isEqualTo(value);
  }

  @Test
  void chunkSizeLeavesASixteenthOfTheRequestSizeFree() {
    assertThat(Chunker.DEFAULT_MAX_CHUNK_BYTES).isEqualTo(1024 * 1024 - 64 * 1024);
    assertThat(Chunker.forMaxRequestSize(64 * 1024).maxChunkBytes()).isEqualTo(60 * 1024);
    assertThatThrownBy(() -> Chunker.forMaxRequestSize(1000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void headersRoundTripWithAOneBasedPosition() {
    ChunkHeader h = new ChunkHeader("id-7", 1, 3, 12345, "ab".repeat(32));
    RecordHeaders headers = new RecordHeaders();

    h.writeTo(headers);

    assertThat(new String(headers.lastHeader(ChunkHeader.CHUNK).value(), StandardCharsets.UTF_8))
        .isEqualTo("2/3");
    assertThat(ChunkHeader.read(headers)).contains(h);
    assertThat(ChunkHeader.read(new RecordHeaders())).isEmpty();
  }

  @Test
  void partialOrMalformedHeadersAreBadMessages() {
    RecordHeaders partial = new RecordHeaders();
    partial.add(ChunkHeader.MESSAGE_ID, "x".getBytes(StandardCharsets.UTF_8));
    RecordHeaders zeroth = new RecordHeaders();
    new ChunkHeader("id", 0, 2, 10, "0".repeat(64)).writeTo(zeroth);
    zeroth.remove(ChunkHeader.CHUNK);
    zeroth.add(ChunkHeader.CHUNK, "0/2".getBytes(StandardCharsets.UTF_8));
    RecordHeaders words = new RecordHeaders();
    new ChunkHeader("id", 0, 2, 10, "0".repeat(64)).writeTo(words);
    words.remove(ChunkHeader.CHUNK);
    words.add(ChunkHeader.CHUNK, "first".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> ChunkHeader.read(partial))
        .isInstanceOf(BadMessageException.class).hasMessageContaining("only some");
    assertThatThrownBy(() -> ChunkHeader.read(zeroth))
        .isInstanceOf(BadMessageException.class).hasMessageContaining("impossible");
    assertThatThrownBy(() -> ChunkHeader.read(words))
        .isInstanceOf(BadMessageException.class).hasMessageContaining("not of the form i/n");
  }
}
