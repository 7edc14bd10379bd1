"""Loads a retort export with Hugging Face transformers and scores the sentences retort scored.

Usage: python transformers_parity.py EXPORT_DIR EXPECTED_JSON

EXPECTED_JSON holds {"sentences": [...], "max_length": L, "input_ids": [[...]], "logits": [[...]]}
as retort computed them, and "trust_remote_code": true for a model whose code ships with it
(retort's EfficientBERT directories). Prints one JSON line: the model class transformers chose, the weights
it did not find or did not use, whether the token ids are equal, and the largest absolute logit
difference.
"""
import json
import sys

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer


def main(export_dir, expected_path):
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    remote = expected.get("trust_remote_code", False)
    model, info = AutoModelForSequenceClassification.from_pretrained(
        export_dir, output_loading_info=True, trust_remote_code=remote
    )
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(export_dir, trust_remote_code=remote)
    batch = tokenizer(
        expected["sentences"],
        padding="max_length",
        truncation=True,
        max_length=expected["max_length"],
        return_tensors="pt",
    )
    with torch.no_grad():
        logits = model(**batch).logits
    ids = batch["input_ids"].tolist()
    diff = (logits - torch.tensor(expected["logits"], dtype=logits.dtype)).abs().max().item()
    print(
        json.dumps(
            {
                "model_class": type(model).__name__,
                "missing_keys": sorted(info["missing_keys"]),
                "unexpected_keys": sorted(info["unexpected_keys"]),
                "ids_equal": ids == expected["input_ids"],
                "max_abs_logit_diff": diff,
                "logits": logits.tolist(),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
