#!/usr/bin/env python3
"""Check that a model directory exported by retort loads in Hugging Face transformers.

retort's HfModelDirectoryWriter writes config.json, model.safetensors, vocab.txt,
tokenizer_config.json and special_tokens_map.json. This script loads that directory with
transformers.BertForSequenceClassification and AutoTokenizer, runs the inputs of a JSON fixture
written by retort's Java side, and compares the logits (and, if given, the token ids).

It is NOT run by the Maven build: the build machines have no PyPI access. Run it by hand where
Python packages can be installed:

    python -m venv .venv && . .venv/bin/activate
    pip install torch transformers safetensors
    python services/core/src/test/python/check_hf_export.py EXPORT_DIR FIXTURE.json

Fixture format (JSON):

    {
      "input_ids":      [[101, 1996, ..., 102, 0, 0], ...],   # [B, L] int
      "attention_mask": [[1, 1, ..., 1, 0, 0], ...],          # [B, L] int
      "token_type_ids": [[0, 0, ..., 0, 0, 0], ...],          # [B, L] int, optional (zeros)
      "logits":         [[0.12, -0.5], ...],                  # [B, C] float, retort's output
      "atol":           1e-4,                                 # optional, default 1e-4
      "texts":          ["a sentence", ...]                   # optional: also check tokenization
    }

Exit status 0 if everything matches, 1 otherwise (with the largest difference printed).
"""

import argparse
import json
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model_dir", help="directory written by HfModelDirectoryWriter")
    parser.add_argument("fixture", help="JSON fixture with inputs and expected logits")
    args = parser.parse_args()

    import torch  # imported late so that --help works without torch
    from transformers import AutoTokenizer, BertForSequenceClassification

    with open(args.fixture, encoding="utf-8") as f:
        fx = json.load(f)

    model = BertForSequenceClassification.from_pretrained(args.model_dir)
    model.eval()
    ids = torch.tensor(fx["input_ids"], dtype=torch.long)  # [B, L]
    mask = torch.tensor(fx["attention_mask"], dtype=torch.long)  # [B, L]
    types = torch.tensor(fx.get("token_type_ids", [[0] * ids.shape[1]] * ids.shape[0]), dtype=torch.long)
    with torch.no_grad():
        logits = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits  # [B, C]

    expected = torch.tensor(fx["logits"], dtype=torch.float32)  # [B, C]
    atol = float(fx.get("atol", 1e-4))
    ok = True
    if logits.shape != expected.shape:
        print(f"logits shape {tuple(logits.shape)} != fixture {tuple(expected.shape)}")
        ok = False
    else:
        diff = (logits - expected).abs().max().item()
        print(f"logits max |diff| = {diff:.3g} (atol {atol:g}); labels: {model.config.id2label}")
        ok &= diff <= atol

    if "texts" in fx:
        tok = AutoTokenizer.from_pretrained(args.model_dir)
        enc = tok(fx["texts"], padding="max_length", truncation=True, max_length=ids.shape[1])
        same = enc["input_ids"] == fx["input_ids"]
        print(f"tokenizer ids {'match' if same else 'DIFFER'} (lowercase={tok.do_lower_case})")
        ok &= same

    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
