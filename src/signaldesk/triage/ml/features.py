"""Feature blocks: TF-IDF words, TF-IDF character n-grams and MiniLM sentence embeddings.

Every block is L2-normalised per row and then multiplied by a block weight, so the weights
set the relative influence of the blocks in one linear model. The encoder itself is never
pickled: only its ``max_length`` is stored and the process-wide encoder is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from .encoder import EmbeddingCache, get_encoder

ModelKind = Literal["tfidf", "embed", "combined"]
MODEL_KINDS: tuple[ModelKind, ...] = ("tfidf", "embed", "combined")


@dataclass(frozen=True)
class FeatureConfig:
    """Feature settings; defaults were chosen by 5-fold CV on Banking77 train."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    char_min_df: int = 2
    word_weight: float = 1.0
    char_weight: float = 1.0
    poolings: tuple[str, ...] = ("mean", "max", "cls")
    pool_weights: tuple[float, ...] = (2.0, 1.0, 1.0)
    max_length: int = 256


def uses_tfidf(kind: ModelKind) -> bool:
    return kind in ("tfidf", "combined")


def uses_embeddings(kind: ModelKind) -> bool:
    return kind in ("embed", "combined")


def embed_texts(
    texts: Sequence[str], config: FeatureConfig, cache: EmbeddingCache | None = None
) -> NDArray[np.float32]:
    """MiniLM embeddings (one block per pooling) of ``texts`` (through ``cache`` if given)."""
    encoder = get_encoder(max_length=config.max_length, poolings=config.poolings)
    if cache is not None:
        return cache.encode(encoder, texts)
    return encoder.encode(texts)


class FeatureBuilder:
    """Fits the TF-IDF vocabularies and turns texts into one (sparse or dense) matrix."""

    def __init__(self, kind: ModelKind, config: FeatureConfig | None = None) -> None:
        if kind not in MODEL_KINDS:
            raise ValueError(f"unknown model kind {kind!r}; choose from {', '.join(MODEL_KINDS)}")
        self.kind: ModelKind = kind
        self.config = config or FeatureConfig()
        self.word: TfidfVectorizer | None = None
        self.char: TfidfVectorizer | None = None

    def fit(self, texts: Sequence[str]) -> FeatureBuilder:
        cfg = self.config
        if uses_tfidf(self.kind):
            self.word = TfidfVectorizer(
                ngram_range=cfg.word_ngrams, sublinear_tf=True, dtype=np.float32
            )
            self.char = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=cfg.char_ngrams,
                sublinear_tf=True,
                min_df=cfg.char_min_df if len(texts) >= 50 else 1,
                dtype=np.float32,
            )
            self.word.fit(texts)
            self.char.fit(texts)
        return self

    def transform(
        self, texts: Sequence[str], embeddings: NDArray[np.float32] | None = None
    ) -> sp.csr_matrix | NDArray[np.float32]:
        """Feature matrix; ``embeddings`` (precomputed, L2-normalised) skips the encoder."""
        cfg = self.config
        dense: NDArray[np.float32] | None = None
        if uses_embeddings(self.kind):
            emb = embeddings if embeddings is not None else embed_texts(texts, cfg)
            weights = np.repeat(np.asarray(cfg.pool_weights, dtype=np.float32), 384)
            if emb.shape[1] != weights.size:
                raise ValueError(f"expected {weights.size} embedding columns, got {emb.shape[1]}")
            dense = (emb * weights).astype(np.float32, copy=False)
        if not uses_tfidf(self.kind):
            assert dense is not None
            return dense
        if self.word is None or self.char is None:
            raise RuntimeError("FeatureBuilder.transform called before fit")
        blocks: list[sp.spmatrix] = [
            self.word.transform(texts) * np.float32(cfg.word_weight),
            self.char.transform(texts) * np.float32(cfg.char_weight),
        ]
        if dense is not None:
            blocks.append(sp.csr_matrix(dense))
        out: sp.csr_matrix = sp.hstack(blocks, format="csr", dtype=np.float32)
        return out
