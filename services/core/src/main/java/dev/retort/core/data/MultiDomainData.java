package dev.retort.core.data;

import dev.retort.core.RetortException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A multi-domain corpus: per-domain splits in domain-id order, sharing one label map.
 *
 * @param name the corpus name, such as {@code "mnli-genres"} or {@code "amazon"}
 * @param domains the domain map; domain i is {@code splits.get(i)}
 * @param splits the splits of each domain, in domain-id order
 */
public record MultiDomainData(String name, LabelMap domains, List<DomainSplits> splits) {
  /** Checks that the splits follow the domain order. */
  public MultiDomainData {
    splits = List.copyOf(splits);
    if (splits.size() != domains.size()) {
      throw new IllegalArgumentException(domains + " but " + splits.size() + " split sets");
    }
    for (int i = 0; i < splits.size(); i++) {
      if (!splits.get(i).domain().equals(domains.label(i))) {
        throw new IllegalArgumentException(
            "split " + i + " is " + splits.get(i).domain() + ", expected " + domains.label(i));
      }
    }
  }

  /**
   * Returns the splits of a domain.
   *
   * @param domain the domain name
   * @return its splits
   * @throws RetortException if the domain is unknown, listing the known ones
   */
  public DomainSplits domain(String domain) {
    return splits.get(domains.id(domain, name));
  }

  /**
   * Returns a copy with every training set transformed (e.g. a few-shot subset).
   *
   * @param transform the transformation of each domain's training set
   * @return the new corpus
   */
  public MultiDomainData mapTrain(UnaryOperator<Dataset> transform) {
    List<DomainSplits> out = new ArrayList<>();
    for (DomainSplits s : splits) {
      out.add(new DomainSplits(s.domain(), transform.apply(s.train()), s.dev(), s.test()));
    }
    return new MultiDomainData(name, domains, out);
  }

  /**
   * Returns a copy with every dev and test set transformed (e.g. capped to a sample).
   *
   * @param transform the transformation of each domain's dev and test sets
   * @return the new corpus
   */
  public MultiDomainData mapEval(UnaryOperator<Dataset> transform) {
    List<DomainSplits> out = new ArrayList<>();
    for (DomainSplits s : splits) {
      out.add(new DomainSplits(s.domain(), s.train(), transform.apply(s.dev()), transform.apply(s.test())));
    }
    return new MultiDomainData(name, domains, out);
  }
}
