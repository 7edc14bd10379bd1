#!/usr/bin/env python3
"""The BERT-EMD distillation step of `retort bench`, written the way users run it today:
PyTorch + Hugging Face transformers, for an examples/s comparison with retort on the same machine.

Same work as retort's step-efficiency figure (services/bench, StepWorkload + StepRunner):

* student: BertForSequenceClassification with TinyBERT-4L-312's shape (4 layers, H 312, 12 heads,
  I 1200, BERT's uncased vocabulary), random initialisation, dropout 0.1 (training mode);
* teacher outputs GIVEN: computed once, before timing, by a randomly initialised BERT-base-shaped
  BertForSequenceClassification in eval mode without gradients: every hidden state (0..12), every
  layer's pre-softmax attention scores, the logits;
* one synthetic batch of B x L real tokens ([CLS] w... [SEP], segment 0, mask 1), 3 labels;
* BERT-EMD's loss with retort's job defaults (beta 0.01, theta 1, T 1, T^2 scaling, alpha 1):

      mask(x)   = 0 if x <= -100 else x                      (attention scores, both sides)
      D^A_ij    = mean((mask(A^S_i) - mask(A^T_j))^2)        i = 1..4, j = 1..12
      D^H_ij    = mean((P(H^S_i) - H^T_j)^2)                 P: one shared Linear(312, 768)
      L_att     = sum_ij F^A_ij D^A_ij    L_hid = sum_ij F^H_ij D^H_ij   (F constant)
      L_emb     = mean((P(H^S_0) - H^T_0)^2)
      L_pred    = T^2 * soft cross-entropy(student logits / T, teacher logits / T)
      L         = beta * (theta * (L_hid + L_att) + L_emb) + L_pred

  F is the EMD flow held constant: solved ONCE, before timing, by a greedy minimum-cost
  transport (cheapest cell first) on the first step's detached distances with uniform layer
  weights. retort solves the exact transport problem every step (microseconds on the CPU) and
  updates the layer weights; neither changes the step's tensor work;
* optimiser: BertAdam as in the BERT-EMD code (no bias correction, eps 1e-6, each gradient tensor
  clipped to norm 1, weight decay 0.01 except biases and LayerNorm), lr 1e-4 constant; or AdamW
  with --optimizer adamw.

Pre-softmax scores: transformers' attention does not return them, so forward hooks keep each
layer's query and key projections and the scores are computed from them, Q K^T / sqrt(d) plus
BERT's additive -10000 mask: one extra Q K^T per layer, about 3% of the student's FLOPs at L 128.

Prints one line per timed step and a JSON summary: median step seconds, examples/s and FLOP/s by
retort's analytic count (bench/compute/FlopCount.java).

Needs torch and transformers (not available on the build machine: no PyPI). See
services/bench/README.md for the recipe that compares it with `retort bench` on a GPU machine.
"""

import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F
from transformers import BertConfig, BertForSequenceClassification

VOCAB = 30522
CLASSES = 3


def student_config(dropout):
    return BertConfig(vocab_size=VOCAB, hidden_size=312, num_hidden_layers=4, num_attention_heads=12,
                      intermediate_size=1200, hidden_act="gelu", hidden_dropout_prob=dropout,
                      attention_probs_dropout_prob=dropout, num_labels=CLASSES)


def teacher_config():
    return BertConfig(vocab_size=VOCAB, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                      intermediate_size=3072, hidden_act="gelu", num_labels=CLASSES)


class ScoreTaps:
    """Keeps each layer's query and key projections during a forward pass."""

    def __init__(self, model):
        self.q = {}
        self.k = {}
        self.heads = model.config.num_attention_heads
        for i, layer in enumerate(model.bert.encoder.layer):
            layer.attention.self.query.register_forward_hook(self._keep(self.q, i))
            layer.attention.self.key.register_forward_hook(self._keep(self.k, i))

    @staticmethod
    def _keep(store, i):
        def hook(_module, _inputs, output):
            store[i] = output
        return hook

    def scores(self, attention_mask):
        """Pre-softmax scores of every layer, [B, A, L, L] each, with the additive -10000 mask."""
        additive = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0  # [B, 1, 1, L]
        out = []
        for i in range(len(self.q)):
            q, k = self.q[i], self.k[i]
            b, l, h = q.shape
            d = h // self.heads
            q = q.view(b, l, self.heads, d).transpose(1, 2)  # [B, A, L, D]
            k = k.view(b, l, self.heads, d).transpose(1, 2)  # [B, A, L, D]
            out.append(q @ k.transpose(-1, -2) / math.sqrt(d) + additive)  # [B, A, L, L]
        return out


def masked(scores):
    return scores * (scores > -100.0).to(scores.dtype)


def pairwise_mse(students, teachers):
    """D, [M, N]: mean squared error of every student tensor against every teacher tensor."""
    return torch.stack([torch.stack([(s - t).pow(2).mean() for t in teachers]) for s in students])


def greedy_flow(cost, supply, demand):
    """A transport plan by cheapest cell first: feasible, near optimal for BERT-EMD's sizes."""
    m, n = len(cost), len(cost[0])
    a = list(supply)
    b = list(demand)
    flow = [[0.0] * n for _ in range(m)]
    for idx in sorted(range(m * n), key=lambda c: cost[c // n][c % n]):
        i, j = divmod(idx, n)
        x = min(a[i], b[j])
        if x > 0:
            flow[i][j] += x
            a[i] -= x
            b[j] -= x
    return torch.tensor(flow)


def batch(b, l, device, seed):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1000, VOCAB, (b, l), generator=g)
    ids[:, 0] = 101
    ids[:, -1] = 102
    labels = torch.randint(0, CLASSES, (b,), generator=g)
    return ids.to(device), torch.zeros_like(ids).to(device), torch.ones_like(ids).to(device), labels.to(device)


class BertAdam(torch.optim.Optimizer):
    """pytorch-pretrained-bert's BertAdam: no bias correction, per-tensor clipping, decoupled decay."""

    def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-6, weight_decay=0.01, max_grad_norm=1.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, max_grad_norm=max_grad_norm))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                if group["max_grad_norm"] > 0:
                    torch.nn.utils.clip_grad_norm_(p, group["max_grad_norm"])
                g = p.grad
                state = self.state[p]
                if not state:
                    state["m"] = torch.zeros_like(p)
                    state["v"] = torch.zeros_like(p)
                m, v = state["m"], state["v"]
                m.mul_(b1).add_(g, alpha=1 - b1)
                v.mul_(b2).addcmul_(g, g, value=1 - b2)
                update = m / (v.sqrt() + group["eps"])
                if group["weight_decay"] > 0:
                    update.add_(p, alpha=group["weight_decay"])
                p.add_(update, alpha=-group["lr"])


def param_groups(modules, weight_decay):
    decay, no_decay = [], []
    for module in modules:
        for name, p in module.named_parameters():
            (no_decay if name.endswith("bias") or "LayerNorm" in name else decay).append(p)
    return [dict(params=decay, weight_decay=weight_decay), dict(params=no_decay, weight_decay=0.0)]


def step_flops(b, l, h=312, i=1200, layers=4, ht=768, projected=5, classes=CLASSES):
    """retort's FlopCount.studentStep: 3 x (encoder + pooler/classifier + projection)."""
    encoder = b * l * layers * (2 * (4 * h * h + 2 * h * i) + 4 * l * h)
    head = b * (2 * h * h + 2 * h * classes)
    projection = projected * b * l * 2 * h * ht
    return 3 * (encoder + head + projection)


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--length", type=int, default=128)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    ap.add_argument("--optimizer", choices=["bertadam", "adamw"], default="bertadam")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--beta", type=float, default=0.01)
    ap.add_argument("--theta", type=float, default=1.0)
    ap.add_argument("--temperature", type=float, default=1.0)
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    torch.manual_seed(args.seed)

    teacher = BertForSequenceClassification(teacher_config()).to(device).eval()
    teacher_taps = ScoreTaps(teacher)
    student = BertForSequenceClassification(student_config(0.1)).to(device).train()
    student_taps = ScoreTaps(student)
    projection = torch.nn.Linear(312, 768).to(device)
    ids, segments, mask, labels = batch(args.batch, args.length, device, args.seed + 3)

    # Teacher outputs, computed once and given to every step.
    with torch.no_grad():
        t = teacher(input_ids=ids, token_type_ids=segments, attention_mask=mask, output_hidden_states=True)
        t_hidden = [h.detach() for h in t.hidden_states]  # 13 x [B, L, 768]
        t_scores = [masked(s).detach() for s in teacher_taps.scores(mask)]  # 12 x [B, A, L, L]
        t_logits = t.logits.detach()  # [B, C]
    del teacher

    modules = [student, projection]
    if args.optimizer == "bertadam":
        opt = BertAdam(param_groups(modules, 0.01), lr=1e-4)
    else:
        opt = torch.optim.AdamW(param_groups(modules, 0.01), lr=1e-4, eps=1e-6)
    flows = {}
    temp = args.temperature

    def step():
        s = student(input_ids=ids, token_type_ids=segments, attention_mask=mask, output_hidden_states=True)
        s_scores = [masked(x) for x in student_taps.scores(mask)]  # 4 x [B, A, L, L]
        s_hidden = [projection(h) for h in s.hidden_states]  # 5 x [B, L, 768]
        d_att = pairwise_mse(s_scores, t_scores)  # [4, 12]
        d_hid = pairwise_mse(s_hidden[1:], t_hidden[1:])  # [4, 12]
        if not flows:
            m, n = d_att.shape
            uniform_m, uniform_n = [1.0 / m] * m, [1.0 / n] * n
            flows["att"] = greedy_flow(d_att.detach().cpu().tolist(), uniform_m, uniform_n).to(device)
            flows["hid"] = greedy_flow(d_hid.detach().cpu().tolist(), uniform_m, uniform_n).to(device)
        l_att = (flows["att"] * d_att).sum()
        l_hid = (flows["hid"] * d_hid).sum()
        l_emb = (s_hidden[0] - t_hidden[0]).pow(2).mean()
        soft = -(F.softmax(t_logits / temp, dim=-1) * F.log_softmax(s.logits / temp, dim=-1)).sum(-1).mean() * temp * temp
        loss = args.beta * (args.theta * (l_hid + l_att) + l_emb) + soft
        loss.backward()
        if args.optimizer == "adamw":
            torch.nn.utils.clip_grad_norm_([p for mod in modules for p in mod.parameters()], 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss

    seconds = []
    for k in range(args.warmup + args.steps):
        sync(device)
        t0 = time.perf_counter()
        loss = step()
        value = loss.item()  # waits for the step, as retort's loop reads the loss every step
        sync(device)
        dt = time.perf_counter() - t0
        if k >= args.warmup:
            seconds.append(dt)
            print(f"step {k - args.warmup + 1}/{args.steps}: {dt:.4f} s, loss {value:.4f}", flush=True)
    median = statistics.median(seconds)
    flops = step_flops(args.batch, args.length)
    print(json.dumps({
        "implementation": "pytorch+transformers",
        "torch": torch.__version__,
        "device": str(device),
        "threads": torch.get_num_threads(),
        "batch": args.batch,
        "length": args.length,
        "optimizer": args.optimizer,
        "steps": args.steps,
        "median_step_seconds": median,
        "examples_per_second": args.batch / median,
        "step_flops": flops,
        "step_flops_per_second": flops / median,
    }))


if __name__ == "__main__":
    main()
