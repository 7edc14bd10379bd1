"""Golden values of the official MobileBERT-style trigram embedding, for
OfficialEfficientBertEmbeddingParityTest.

Compiles `MobileBertEmbedding` from the source of cheneydon/efficient-bert's models/mobile_bert.py
(the embedding every EfficientBERT model uses: 128-d tokens in the paper, the shifted concatenation
[e(t+1), e(t), e(t-1)], a dense projection to H, segment and position embeddings, LayerNorm),
builds a small one with PyTorch's default initialisation, embeds a batch with padding in eval mode
and writes the parameters (official names), the inputs and the output to JSON.

Regenerate:
    git clone https://github.com/cheneydon/efficient-bert && git -C efficient-bert checkout e4b3025
    pip install torch
    python embedding_reference.py efficient-bert/models/mobile_bert.py embedding-e4b3025.json
"""
import argparse
import ast
import json
import types

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIG = dict(vocab_size=30, embed_size=4, hidden_size=12, segment_size=2, position_size=16,
              pad_token_id=0, use_opt=False, hidden_dropout_prob=0.1)
SEED = 20210916


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mobile_bert")
    ap.add_argument("out")
    a = ap.parse_args()
    with open(a.mobile_bert, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=a.mobile_bert)
    nodes = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name in ("NoNorm", "MobileBertEmbedding")]
    ns = {"torch": torch, "nn": nn, "F": F}
    exec(compile(ast.Module(body=nodes, type_ignores=[]), a.mobile_bert, "exec"), ns)
    torch.manual_seed(SEED)
    emb = ns["MobileBertEmbedding"](types.SimpleNamespace(**CONFIG)).eval()
    g = torch.Generator().manual_seed(SEED)
    token_ids = torch.randint(1, CONFIG["vocab_size"], (2, 5), generator=g)
    token_ids[1, 3:] = 0  # padding
    segment_ids = torch.randint(0, 2, (2, 5), generator=g)
    position_ids = torch.arange(5).unsqueeze(0).expand(2, 5)
    with torch.no_grad():
        out = emb(token_ids, segment_ids, position_ids)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump({
            "source": "cheneydon/efficient-bert@e4b3025 models/mobile_bert.py MobileBertEmbedding (eval mode)",
            "torch": torch.__version__,
            "config": CONFIG,
            "layernorm_eps": emb.layernorm.eps,
            "parameters": {k: {"shape": list(v.shape), "values": v.flatten().tolist()}
                           for k, v in emb.state_dict().items()},
            "token_ids": token_ids.tolist(),
            "segment_ids": segment_ids.tolist(),
            "output_shape": list(out.shape),
            "output": out.flatten().tolist(),
        }, f)


if __name__ == "__main__":
    main()
