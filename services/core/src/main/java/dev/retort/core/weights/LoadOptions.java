package dev.retort.core.weights;

import java.nio.file.Path;

/**
 * Where {@link WeightLoader} finds and caches models.
 *
 * @param cacheDir where extracted tokenizers and Hub downloads go
 * @param maven the Maven repository resolver for {@code maven:} references
 * @param hub the Hub client for {@code hf:} references
 */
public record LoadOptions(Path cacheDir, MavenArtifacts maven, HfHub hub) {

  /** Returns the options for this machine: default cache, local Maven repository, Hub disabled. */
  public static LoadOptions defaults() {
    return builder().build();
  }

  /** Returns a new builder; every setting is optional. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the default cache directory: the system property {@code retort.cache.dir}, else the
   * environment variable {@code RETORT_CACHE_DIR}, else {@code ~/.cache/retort}.
   */
  public static Path defaultCacheDir() {
    String p = System.getProperty("retort.cache.dir");
    if (p == null || p.isBlank()) {
      p = System.getenv("RETORT_CACHE_DIR");
    }
    if (p != null && !p.isBlank()) {
      return Path.of(p);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "retort");
  }

  /** Builds {@link LoadOptions}. */
  public static final class Builder {
    private Path cacheDir;
    private MavenArtifacts maven;
    private boolean hubEnabled;
    private String hubEndpoint = HfHub.DEFAULT_ENDPOINT;

    private Builder() {}

    /** Sets the cache directory (default {@link #defaultCacheDir()}). */
    public Builder optCacheDir(Path dir) {
      this.cacheDir = dir;
      return this;
    }

    /** Sets the Maven resolver (default {@link MavenArtifacts#defaults()}). */
    public Builder optMaven(MavenArtifacts m) {
      this.maven = m;
      return this;
    }

    /** Enables {@code hf:} downloads (default off). */
    public Builder optHubEnabled(boolean on) {
      this.hubEnabled = on;
      return this;
    }

    /** Sets the Hub address (default {@value HfHub#DEFAULT_ENDPOINT}). */
    public Builder optHubEndpoint(String url) {
      this.hubEndpoint = url;
      return this;
    }

    /** Builds the options. */
    public LoadOptions build() {
      Path dir = cacheDir != null ? cacheDir : defaultCacheDir();
      HfHub hub =
          HfHub.builder().setCacheDir(dir).optEnabled(hubEnabled).optEndpoint(hubEndpoint).build();
      return new LoadOptions(dir, maven != null ? maven : MavenArtifacts.defaults(), hub);
    }
  }
}
