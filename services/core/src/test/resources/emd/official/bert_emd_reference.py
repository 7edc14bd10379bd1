"""Golden values from the official BERT-EMD code, for OfficialBertEmdParityTest.

Runs the official functions `transformer_loss`, `get_new_layer_weight` and `distillation_loss`,
taken verbatim (by their source text) from lxk00/BERT-EMD's bert_emd/emd_task_distill.py: the
first two on small random attention scores and hidden states for three successive steps (each
step's attention and hidden-state EMD losses and the layer weights after the step's cost-attention
update), the last on random logits for classification and regression with several T and alpha.
Writes the inputs and what the official code computed to JSON.

Two substitutions, both outside the official functions:
* `emd_with_flow` (pyemd 0.5.1, not installable here) is POT's `ot.emd`, the exact network-simplex
  solution of the same linear program on the same padded (M+N)x(M+N) problem;
* `.cuda()` is the identity (CPU).

Regenerate (numbers change only if the inputs or the official code do):
    git clone https://github.com/lxk00/BERT-EMD && git -C BERT-EMD checkout 82c63ff
    pip install torch numpy pot
    python bert_emd_reference.py BERT-EMD/bert_emd/emd_task_distill.py bert-emd-82c63ff.json
"""
import argparse
import ast
import json
import logging
import sys
import types

import numpy as np
import ot
import torch

M, N = 4, 12          # student and teacher layers
B, A, L, H = 1, 2, 4, 6
STEPS = 3
SEED = 20201116
OFFICIAL_FUNCTIONS = ("softmax", "get_new_layer_weight", "transformer_loss", "distillation_loss")


def emd_with_flow(first, second, distance):
    """pyemd's signature: (emd, flow) for two histograms over the same bins and a distance matrix."""
    first = np.asarray(first, dtype=np.float64)
    second = np.asarray(second, dtype=np.float64)
    flow = ot.emd(first, second * (first.sum() / second.sum()), np.asarray(distance, dtype=np.float64))
    return float(np.sum(flow * distance)), flow.tolist()


def official_namespace(path):
    """The official functions, compiled from their source in emd_task_distill.py."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    wanted = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in OFFICIAL_FUNCTIONS]
    missing = set(OFFICIAL_FUNCTIONS) - {n.name for n in wanted}
    if missing:
        sys.exit(f"{path} has no {sorted(missing)}")
    ns = {"np": np, "torch": torch, "emd_with_flow": emd_with_flow, "logger": logging.getLogger("bert-emd"),
          "MSELoss": torch.nn.MSELoss}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), path, "exec"), ns)
    return ns


def masked_scores(g, layers):
    """Pre-softmax attention scores with BERT's -10000 on the last (padding) key."""
    out = []
    for _ in range(layers):
        s = torch.randn(B, A, L, L, generator=g)
        s[..., -1] = -10000.0
        out.append(s)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("official", help="path of bert_emd/emd_task_distill.py")
    ap.add_argument("out")
    a = ap.parse_args()
    torch.Tensor.cuda = lambda self, *args, **kwargs: self
    ns = official_namespace(a.official)
    ns["att_student_weight"] = np.ones(M) / M
    ns["att_teacher_weight"] = np.ones(N) / N
    ns["rep_student_weight"] = np.ones(M) / M
    ns["rep_teacher_weight"] = np.ones(N) / N
    args = types.SimpleNamespace(use_att=True, use_rep=True, update_weight=True, seperate=False, eval_step=10**9)
    g = torch.Generator().manual_seed(SEED)
    steps = []
    for step in range(STEPS):
        s_att, t_att = masked_scores(g, M), masked_scores(g, N)
        # Student hidden states already projected to the teacher's width; index 0 is the embeddings.
        s_rep = [torch.randn(B, L, H, generator=g) for _ in range(M + 1)]
        t_rep = [torch.randn(B, L, H, generator=g) for _ in range(N + 1)]
        att_loss, rep_loss = ns["transformer_loss"](
            s_att, t_att, s_rep, t_rep, torch.device("cpu"), torch.nn.MSELoss(), args, step, T=1)
        steps.append({
            "student_att": [t.flatten().tolist() for t in s_att],
            "teacher_att": [t.flatten().tolist() for t in t_att],
            "student_rep": [t.flatten().tolist() for t in s_rep],
            "teacher_rep": [t.flatten().tolist() for t in t_rep],
            "att_loss": float(att_loss),
            "rep_loss": float(rep_loss),
            "student_weight_after": ns["att_student_weight"].tolist(),
            "teacher_weight_after": ns["att_teacher_weight"].tolist(),
        })
    prediction = []
    for mode, t, alpha in [("classification", 1.0, 1.0), ("classification", 2.0, 0.5), ("classification", 4.0, 0.0),
                           ("regression", 1.0, 1.0), ("regression", 1.0, 0.3)]:
        classes = 3 if mode == "classification" else 1
        student = torch.randn(5, classes, generator=g)
        teacher = torch.randn(5, classes, generator=g) * 2
        labels = torch.randint(0, 3, (5,), generator=g) if mode == "classification" else torch.randn(5, generator=g)
        total, _, _ = ns["distillation_loss"](student, labels, teacher, mode, t, alpha)
        prediction.append({"mode": mode, "T": t, "alpha": alpha, "student": student.flatten().tolist(),
                           "teacher": teacher.flatten().tolist(), "labels": labels.tolist(), "loss": float(total)})
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump({
            "source": "lxk00/BERT-EMD@82c63ff bert_emd/emd_task_distill.py: " + ", ".join(OFFICIAL_FUNCTIONS),
            "flow_solver": "POT " + ot.__version__ + " ot.emd in place of pyemd.emd_with_flow",
            "torch": torch.__version__,
            "M": M, "N": N, "att_shape": [B, A, L, L], "rep_shape": [B, L, H],
            "steps": steps,
            "prediction": prediction,
        }, f)


if __name__ == "__main__":
    main()
