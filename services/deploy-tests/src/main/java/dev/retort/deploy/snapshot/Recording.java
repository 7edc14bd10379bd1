package dev.retort.deploy.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A recorded demo run: the job, when, its result line and every scrape of the services' metrics.
 *
 * @param job the job id
 * @param date the day of the run
 * @param intervalSeconds seconds between scrapes
 * @param result the job's result in words
 * @param scrapes the scrapes, in time order
 */
public record Recording(String job, String date, long intervalSeconds, String result, List<Scrape> scrapes) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Writes the recording as JSON (NaN and infinite values as strings, which {@link #read} accepts).
   *
   * @param file the file to write; its directory is created
   * @throws IOException if the file cannot be written
   */
  public void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    JSON.writeValue(file.toFile(), this);
  }

  /**
   * Reads a recording written by {@link #write}.
   *
   * @param file the JSON file
   * @return the recording
   * @throws IOException if the file cannot be read or is not a recording
   */
  public static Recording read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), Recording.class);
  }
}
