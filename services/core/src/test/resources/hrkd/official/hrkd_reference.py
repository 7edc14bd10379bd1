"""Golden values from the official HRKD code, for OfficialHrkdGraphParityTest.

Imports the official models/gnn.py of cheneydon/hrkd (MetaGraph with the hierarchical
compare-aggregate step and one multi-head GAT per layer), builds a small graph with its own Xavier
initialisation, and writes to JSON: every parameter under its official name, random domain
prototypes, the per-layer domain ratios and compare-aggregate weights the graph computes (dropout
off: eval mode), and the gradient of sum_l,d ratio[l][d] * ell[l][d] with respect to the
prototypes (the path by which the student learns through the graph).

Regenerate:
    git clone https://github.com/cheneydon/hrkd && git -C hrkd checkout cab4f34
    pip install torch
    python hrkd_reference.py hrkd/models/gnn.py hrkd-cab4f34.json
"""
import argparse
import importlib.util
import json

import torch

LAYERS, DOMAINS, HIDDEN, HEADS = 5, 4, 8, 2   # M + 1 = 5 (a 4-layer student), 4 Amazon domains
SEED = 20211019


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gnn", help="path of the official models/gnn.py")
    ap.add_argument("out")
    a = ap.parse_args()
    spec = importlib.util.spec_from_file_location("official_gnn", a.gnn)
    gnn = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gnn)
    torch.manual_seed(SEED)
    graph = gnn.MetaGraph(HIDDEN, LAYERS, DOMAINS, hierarchical=True, dropout=0.1, alpha=0.2, nheads=HEADS)
    graph.eval()
    prototypes = torch.randn(LAYERS, DOMAINS, HIDDEN, requires_grad=True)
    ell = torch.randn(LAYERS, DOMAINS)
    ratios, hierarchy = graph(prototypes)
    loss = sum((r * ell[l]).sum() for l, r in enumerate(ratios))
    loss.backward()
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump({
            "source": "cheneydon/hrkd@cab4f34 models/gnn.py: MetaGraph, GAT, GraphAttentionLayer (eval mode)",
            "torch": torch.__version__,
            "layers": LAYERS, "domains": DOMAINS, "hidden": HIDDEN, "heads": HEADS, "slope": 0.2,
            "parameters": {k: {"shape": list(v.shape), "values": v.flatten().tolist()}
                           for k, v in graph.state_dict().items()},
            "prototypes": prototypes.detach().flatten().tolist(),
            "ell": ell.flatten().tolist(),
            "ratios": [r.tolist() for r in ratios],
            "hierarchy": [h.tolist() for h in hierarchy],
            "loss": float(loss.detach()),
            "prototype_grad": prototypes.grad.flatten().tolist(),
        }, f)


if __name__ == "__main__":
    main()
