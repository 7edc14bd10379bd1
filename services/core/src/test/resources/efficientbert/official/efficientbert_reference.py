"""Golden values from the official EfficientBERT code, for OfficialEfficientBertFfnParityTest.

Takes the official `Operator` class (utils/operator_utils.py: every primitive of the FFN search
space, with channel truncation for add/mul/max) and `gelu` (models/bert.py, the tanh
approximation) of cheneydon/efficient-bert, compiled from their source, and evaluates FFN
expressions the way DEAP's gp.compile does (the expression text evaluated with the primitives and
the arguments x, wb1, wb2 in scope): the six published expressions and expressions that use every
other primitive, including truncation between different widths. Weights are sliced as
AutoBertFeedForwardNetwork does for an expansion ratio. Writes inputs and outputs to JSON.

Regenerate:
    git clone https://github.com/cheneydon/efficient-bert && git -C efficient-bert checkout e4b3025
    pip install torch
    python efficientbert_reference.py efficient-bert/utils/operator_utils.py efficient-bert/models/bert.py \
        efficientbert-e4b3025.json
"""
import argparse
import ast
import json
import math
import types

import torch
import torch.nn.functional as F

B, L, H, FFN = 2, 3, 12, 12
SEED = 20210915
# (expression, expansion ratio of its linears: linearA_R uses FFN // R units)
EXPRESSIONS = [
    ("tanh(linear4_2(gelu(linear4_2(x,wb1)),wb2))", 2),
    ("elu(linear2_1(gelu(linear2_1(x,wb1)),wb2))", 1),
    ("sigmoid(linear1_2(relu(linear1_2(x,wb1)),wb2))", 2),
    ("linear2_2(gelu(linear2_2(max(x,tanh(x)),wb1)),wb2)", 2),
    ("linear1_2(relu(mul(linear1_2(x,wb1),x)),wb2)", 2),
    ("leaky_relu(linear2_3(gelu(linear2_3(x,wb1)),wb2))", 3),
    ("linear1_3(swish(add(linear1_3(x,wb1),x)),wb2)", 3),
    ("linear1_4(max(sigmoid(x),linear1_4(x,wb1)),wb2)", 4),
    ("add(linear3_1(elu(linear3_1(x,wb1)),wb2),mul(x,leaky_relu(x)))", 1),
]


def compile_source(path, names, ns):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    nodes = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name in names]
    if {n.name for n in nodes} != set(names):
        raise SystemExit(f"{path} lacks {set(names) - {n.name for n in nodes}}")
    exec(compile(ast.Module(body=nodes, type_ignores=[]), path, "exec"), ns)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("operator_utils")
    ap.add_argument("bert")
    ap.add_argument("out")
    a = ap.parse_args()
    bert_ns = {"torch": torch, "math": math}
    compile_source(a.bert, ["gelu"], bert_ns)
    ns = {"torch": torch, "F": F, "models": types.SimpleNamespace(gelu=bert_ns["gelu"])}
    compile_source(a.operator_utils, ["Operator"], ns)
    op = ns["Operator"]()  # sel_min=True: the search's truncation to the smaller width
    context = {name: getattr(op, name) for name in dir(op) if not name.startswith("_") and callable(getattr(op, name))}
    g = torch.Generator().manual_seed(SEED)
    x = torch.randn(B, L, H, generator=g)
    w1 = torch.randn(H, FFN, generator=g) * 0.3   # dense1.weight.t()
    b1 = torch.randn(FFN, generator=g) * 0.1
    w2 = torch.randn(FFN, H, generator=g) * 0.3   # dense2.weight.t()
    b2 = torch.randn(H, generator=g) * 0.1
    cases = []
    for text, ratio in EXPRESSIONS:
        m = int((1.0 / ratio) * FFN)  # AutoBertFeedForwardNetwork: int(expansion_ratio * ffn_hidden_size)
        wb1 = [w1[:, :m], b1[:m]]
        wb2 = [w2[:m, :], b2]
        out = eval(text, dict(context), {"x": x, "wb1": wb1, "wb2": wb2})
        cases.append({"expression": text, "units": m, "output_shape": list(out.shape),
                      "output": out.flatten().tolist()})
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump({
            "source": "cheneydon/efficient-bert@e4b3025 utils/operator_utils.py Operator, models/bert.py gelu",
            "torch": torch.__version__,
            "x_shape": [B, L, H], "ffn": FFN,
            "x": x.flatten().tolist(), "w1": w1.flatten().tolist(), "b1": b1.tolist(),
            "w2": w2.flatten().tolist(), "b2": b2.tolist(),
            "cases": cases,
        }, f)


if __name__ == "__main__":
    main()
