"""EfficientBERT as retort trains it, for Hugging Face transformers.

retort writes this file next to config.json and model.safetensors when it saves an EfficientBERT
student, so that transformers loads the directory with remote code:

    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    model = AutoModelForSequenceClassification.from_pretrained(DIR, trust_remote_code=True)
    tokenizer = AutoTokenizer.from_pretrained(DIR)

The computation is retort's (services/core, dev.retort.core.efficientbert), module for module,
and the modules carry retort's names (the EfficientBERT code's, with BERT's names inside the
attention block), so the weights load name for name:

    embeddings      MobileBERT-style trigram embedding: 128-d tokens, [e(t+1), e(t), e(t-1)]
                    projected to H, plus position and segment embeddings, LayerNorm
    encoder.L       BERT post-LayerNorm attention, then the layer's stacked FFNs all_ffn.0..A-1,
                    each LayerNorm(x + f(x, wb1, wb2)) with f the layer's searched expression
    fit_dense       the distillation projection H -> F (kept for completeness; unused here)
    cls_pooler      tanh(dense(h[CLS])), then ReLU (pooled_activation "relu") or dropout
    classifier      the task head

FFN expressions are prefix expressions over x, wb1 and wb2 (config "ffn_expressions"):
linearA_B(input, wb) is input @ W + b, with wb1 = (dense1.weight[:m].T, dense1.bias[:m]) and
wb2 = (dense2.weight[:, :m].T, dense2.bias); add, mul and max truncate both operands to the
smaller width; gelu is the tanh approximation; leaky_relu has slope 0.01, elu alpha 1, swish is
x * sigmoid(x).
"""
import math
import re

import torch
import torch.nn.functional as F
from torch import nn
from transformers import PretrainedConfig, PreTrainedModel
from transformers.modeling_outputs import BaseModelOutputWithPooling, SequenceClassifierOutput

_MASKED = -10000.0  # additive attention mask of padding, as retort (and BERT's code) use


class RetortEfficientBertConfig(PretrainedConfig):
    """Dimensions and per-layer FFN expressions of an EfficientBERT model saved by retort."""

    model_type = "retort_efficientbert"

    def __init__(
        self,
        vocab_size=30522,
        hidden_size=540,
        num_attention_heads=12,
        embedding_size=128,
        intermediate_size=2160,
        max_position_embeddings=512,
        type_vocab_size=2,
        fit_size=768,
        ffn_expressions=None,
        ffn_stacks=None,
        ffn_inner_sizes=None,
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1,
        layer_norm_eps=1e-5,
        initializer_range=0.02,
        pooled_activation="tanh",
        classifier_dropout=0.1,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_attention_heads = num_attention_heads
        self.embedding_size = embedding_size
        self.intermediate_size = intermediate_size
        self.max_position_embeddings = max_position_embeddings
        self.type_vocab_size = type_vocab_size
        self.fit_size = fit_size
        self.ffn_expressions = list(ffn_expressions or [])
        self.ffn_stacks = list(ffn_stacks or [])
        self.ffn_inner_sizes = list(ffn_inner_sizes or [])
        self.num_hidden_layers = len(self.ffn_expressions)
        self.hidden_dropout_prob = hidden_dropout_prob
        self.attention_probs_dropout_prob = attention_probs_dropout_prob
        self.layer_norm_eps = layer_norm_eps
        self.initializer_range = initializer_range
        self.pooled_activation = pooled_activation
        self.classifier_dropout = classifier_dropout
        if not (len(self.ffn_stacks) == len(self.ffn_inner_sizes) == self.num_hidden_layers):
            raise ValueError(
                "config.json: ffn_expressions, ffn_stacks and ffn_inner_sizes need one entry per"
                f" layer, got {len(self.ffn_expressions)}, {len(self.ffn_stacks)} and"
                f" {len(self.ffn_inner_sizes)}"
            )


# ---------------------------------------------------------------------------------------------
# FFN expressions

_TOKEN = re.compile(r"\s*(?:([A-Za-z_][A-Za-z0-9_]*)|([(),]))")
_UNARY = {
    "gelu": lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3))),
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.01),
    "elu": lambda x: F.elu(x, 1.0),
    "swish": lambda x: x * torch.sigmoid(x),
}
_BINARY = {"add": torch.add, "mul": torch.mul, "max": torch.maximum}
_LINEAR = re.compile(r"linear(?:\d+_\d+)?")


def parse_expression(text):
    """Parses a prefix expression into (name, children) tuples; raises ValueError on bad syntax."""
    tokens = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"FFN expression {text!r}: unexpected character at {pos}")
        tokens.append(m.group(1) or m.group(2))
        pos = m.end()
    tree, end = _parse(tokens, 0, text)
    if end != len(tokens):
        raise ValueError(f"FFN expression {text!r}: trailing tokens after position {end}")
    return tree


def _parse(tokens, i, text):
    if i >= len(tokens) or tokens[i] in "(),":
        raise ValueError(f"FFN expression {text!r}: expected a name at token {i}")
    name = tokens[i]
    if i + 1 >= len(tokens) or tokens[i + 1] != "(":
        return (name, ()), i + 1
    children = []
    i += 2
    while True:
        child, i = _parse(tokens, i, text)
        children.append(child)
        if i < len(tokens) and tokens[i] == ",":
            i += 1
        elif i < len(tokens) and tokens[i] == ")":
            return (name, tuple(children)), i + 1
        else:
            raise ValueError(f"FFN expression {text!r}: expected ',' or ')' at token {i}")


def _truncate(a, width):
    return a if a.shape[-1] == width else a[..., :width]


def evaluate_expression(tree, x, wb1, wb2):
    """Evaluates a parsed expression on x [B, L, H] with the weight pairs (W [in, out], b [out])."""
    name, children = tree
    if not children:
        if name == "x":
            return x
        raise ValueError(f"leaf {name!r} used as a tensor; only x is one")
    if name in _UNARY:
        return _UNARY[name](evaluate_expression(children[0], x, wb1, wb2))
    if name in _BINARY:
        left = evaluate_expression(children[0], x, wb1, wb2)
        right = evaluate_expression(children[1], x, wb1, wb2)
        width = min(left.shape[-1], right.shape[-1])
        return _BINARY[name](_truncate(left, width), _truncate(right, width))
    if _LINEAR.fullmatch(name):
        weights = {"wb1": wb1, "wb2": wb2}.get(children[1][0])
        if weights is None:
            raise ValueError(f"the second argument of {name} must be wb1 or wb2")
        w, b = weights
        return evaluate_expression(children[0], x, wb1, wb2) @ w + b
    raise ValueError(f"unknown FFN operation {name!r}")


# ---------------------------------------------------------------------------------------------
# Modules, named as retort names them


class MobileBertEmbeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        h, e = config.hidden_size, config.embedding_size
        self.token_embeddings = nn.Embedding(config.vocab_size, e)
        self.segment_embeddings = nn.Embedding(config.type_vocab_size, h)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, h)
        self.dense = nn.Linear(3 * e, h)
        self.layernorm = nn.LayerNorm(h, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, input_ids, token_type_ids):
        tokens = self.token_embeddings(input_ids)  # [B, L, E]
        zero = tokens.new_zeros(tokens.shape[0], 1, tokens.shape[2])  # [B, 1, E]
        following = torch.cat([tokens[:, 1:], zero], dim=1)  # [B, L, E]
        preceding = torch.cat([zero, tokens[:, :-1]], dim=1)  # [B, L, E]
        trigram = torch.cat([following, tokens, preceding], dim=2)  # [B, L, 3E]
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)  # [L]
        summed = (
            self.dense(trigram)
            + self.segment_embeddings(token_type_ids)
            + self.position_embeddings(positions)[None]
        )  # [B, L, H]
        return self.dropout(self.layernorm(summed))


class SelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        h = config.hidden_size
        self.heads = config.num_attention_heads
        self.query = nn.Linear(h, h)
        self.key = nn.Linear(h, h)
        self.value = nn.Linear(h, h)
        self.dropout = nn.Dropout(config.attention_probs_dropout_prob)

    def _split(self, t):  # [B, L, H] -> [B, A, L, D]
        b, l, h = t.shape
        return t.view(b, l, self.heads, h // self.heads).transpose(1, 2)

    def forward(self, hidden, additive_mask):
        q, k, v = self._split(self.query(hidden)), self._split(self.key(hidden)), self._split(self.value(hidden))
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + additive_mask  # [B, A, L, L]
        probs = scores.softmax(dim=-1)
        context = self.dropout(probs) @ v  # [B, A, L, D]
        b, a, l, d = context.shape
        return context.transpose(1, 2).reshape(b, l, a * d), probs


class SelfOutput(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, context, residual):
        return self.LayerNorm(residual + self.dropout(self.dense(context)))


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.self = SelfAttention(config)
        self.output = SelfOutput(config)

    def forward(self, hidden, additive_mask):
        context, probs = self.self(hidden, additive_mask)
        return self.output(context, hidden), probs


class AutoBertFfn(nn.Module):
    def __init__(self, config, inner):
        super().__init__()
        h = config.hidden_size
        self.dense1 = nn.Linear(h, inner)
        self.dense2 = nn.Linear(inner, h)
        self.layernorm = nn.LayerNorm(h, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, x, expression, inner):
        wb1 = (self.dense1.weight[:inner].t(), self.dense1.bias[:inner])  # [H, m], [m]
        wb2 = (self.dense2.weight[:, :inner].t(), self.dense2.bias)  # [m, H], [H]
        return self.layernorm(x + self.dropout(evaluate_expression(expression, x, wb1, wb2)))


class AutoBertLayer(nn.Module):
    def __init__(self, config, layer):
        super().__init__()
        self.expression = parse_expression(config.ffn_expressions[layer])
        self.inner = config.ffn_inner_sizes[layer]
        self.attention = Attention(config)
        self.all_ffn = nn.ModuleList(AutoBertFfn(config, self.inner) for _ in range(config.ffn_stacks[layer]))

    def forward(self, hidden, additive_mask):
        hidden, probs = self.attention(hidden, additive_mask)
        for ffn in self.all_ffn:
            hidden = ffn(hidden, self.expression, self.inner)
        return hidden, probs


class ClsPooler(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, hidden):
        return torch.tanh(self.dense(hidden[:, 0]))  # [B, H]


class RetortEfficientBertPreTrainedModel(PreTrainedModel):
    config_class = RetortEfficientBertConfig
    base_model_prefix = "retort_efficientbert"

    def _init_weights(self, module):
        std = self.config.initializer_range
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=std)
            if getattr(module, "bias", None) is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.LayerNorm):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)

    def _encode(self, input_ids, attention_mask, token_type_ids, output_attentions, output_hidden_states):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        additive = (1.0 - attention_mask[:, None, None, :].float()) * _MASKED  # [B, 1, 1, L]
        hidden = self.embeddings(input_ids, token_type_ids)  # [B, L, H]
        all_hidden = [hidden] if output_hidden_states else None
        all_probs = [] if output_attentions else None
        for layer in self.encoder:
            hidden, probs = layer(hidden, additive)
            if output_hidden_states:
                all_hidden.append(hidden)
            if output_attentions:
                all_probs.append(probs)
        return (
            hidden,
            tuple(all_hidden) if all_hidden is not None else None,
            tuple(all_probs) if all_probs is not None else None,
        )

    def _build_encoder(self, config):
        self.embeddings = MobileBertEmbeddings(config)
        self.encoder = nn.ModuleList(AutoBertLayer(config, l) for l in range(config.num_hidden_layers))
        self.fit_dense = nn.Linear(config.hidden_size, config.fit_size)
        self.cls_pooler = ClsPooler(config)


class RetortEfficientBertModel(RetortEfficientBertPreTrainedModel):
    """The encoder with its pooler; last_hidden_state [B, L, H] and pooler_output [B, H]."""

    def __init__(self, config):
        super().__init__(config)
        self._build_encoder(config)
        self.post_init()

    def forward(
        self,
        input_ids=None,
        attention_mask=None,
        token_type_ids=None,
        output_attentions=None,
        output_hidden_states=None,
        return_dict=None,
        **kwargs,
    ):
        hidden, all_hidden, all_probs = self._encode(
            input_ids, attention_mask, token_type_ids, output_attentions, output_hidden_states
        )
        return BaseModelOutputWithPooling(
            last_hidden_state=hidden,
            pooler_output=self.cls_pooler(hidden),
            hidden_states=all_hidden,
            attentions=all_probs,
        )


class RetortEfficientBertForSequenceClassification(RetortEfficientBertPreTrainedModel):
    """The encoder, pooler and task head; loss as BertForSequenceClassification computes it."""

    def __init__(self, config):
        super().__init__(config)
        self._build_encoder(config)
        self.dropout = nn.Dropout(config.classifier_dropout)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.post_init()

    def forward(
        self,
        input_ids=None,
        attention_mask=None,
        token_type_ids=None,
        labels=None,
        output_attentions=None,
        output_hidden_states=None,
        return_dict=None,
        **kwargs,
    ):
        hidden, all_hidden, all_probs = self._encode(
            input_ids, attention_mask, token_type_ids, output_attentions, output_hidden_states
        )
        pooled = self.cls_pooler(hidden)  # [B, H]
        pooled = F.relu(pooled) if self.config.pooled_activation == "relu" else self.dropout(pooled)
        logits = self.classifier(pooled)  # [B, C]
        loss = None
        if labels is not None:
            if self.config.num_labels == 1:
                loss = F.mse_loss(logits.squeeze(-1), labels.float())
            else:
                loss = F.cross_entropy(logits.view(-1, self.config.num_labels), labels.view(-1))
        return SequenceClassifierOutput(loss=loss, logits=logits, hidden_states=all_hidden, attentions=all_probs)
