package dev.retort.deploy.kustomize;

/** A kustomization that cannot be built: the message names the file and what is wrong. */
public final class KustomizeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message where and what
   */
  public KustomizeException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message where and what
   * @param cause the underlying failure
   */
  public KustomizeException(String message, Throwable cause) {
    super(message, cause);
  }
}
