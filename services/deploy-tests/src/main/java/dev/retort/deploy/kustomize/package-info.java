/**
 * A small Kustomize build, for checking retort's manifests on machines without {@code kustomize}.
 *
 * <p>It implements the part of Kustomize that {@code deploy/} and {@code grafana/} use, with
 * Kustomize's semantics: {@code resources} (files and directories), {@code components}, {@code
 * configMapGenerator} (files, literals, create/merge/replace, options), {@code generatorOptions},
 * {@code patches} (strategic merge or JSON 6902, with targets), {@code namespace}, {@code
 * commonLabels}, {@code labels} and {@code images}. Anything else in a kustomization file is an
 * error, so the build never silently ignores a feature the real tool would apply. Files must lie
 * inside their kustomization's directory (Kustomize's default load restriction); directories may lie
 * anywhere.
 */
package dev.retort.deploy.kustomize;
