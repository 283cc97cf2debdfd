import json
from pathlib import Path

import numpy as np

from signaldesk.triage.ml.encoder import EmbeddingCache, MiniLMEncoder, get_encoder

FIXTURE = Path(__file__).parent / "fixtures" / "minilm_reference.json"


def _reference() -> tuple[list[str], np.ndarray]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data["sentences"], np.array(data["embeddings"], dtype=np.float32)


def test_encoder_matches_sentence_transformers_reference() -> None:
    sentences, ref = _reference()
    emb = get_encoder().encode(sentences)
    cosine = (emb * ref).sum(axis=1) / (np.linalg.norm(emb, axis=1) * np.linalg.norm(ref, axis=1))
    assert emb.shape == ref.shape
    assert emb.dtype == np.float32
    assert cosine.min() > 0.9999
    assert float(np.abs(emb - ref).max()) < 1e-4


def test_single_and_batched_encoding_agree() -> None:
    sentences, ref = _reference()
    enc = get_encoder()
    one_by_one = np.stack([enc.encode([s])[0] for s in sentences])
    assert float(np.abs(one_by_one - ref).max()) < 1e-4


def test_parallel_batches_match_serial() -> None:
    sentences, _ = _reference()
    texts = sentences * 7 + ["short", "a somewhat longer sentence about a refund for my order"]
    serial = MiniLMEncoder(batch_size=4, n_threads=1).encode(texts)
    parallel = MiniLMEncoder(batch_size=4, n_threads=2).encode(texts)
    assert float(np.abs(serial - parallel).max()) < 1e-5
    assert np.allclose(np.linalg.norm(serial, axis=1), 1.0, atol=1e-5)


def test_truncation_and_empty_input() -> None:
    enc = get_encoder(max_length=16)
    long_text = "refund " * 500
    assert len(enc.tokenize([long_text])[0]) == 16
    assert enc.encode([long_text]).shape == (1, 384)
    assert enc.encode([]).shape == (0, 384)


def test_embedding_cache_round_trip(tmp_path: Path) -> None:
    sentences, ref = _reference()
    path = tmp_path / "cache.npz"
    cache = EmbeddingCache(path)
    first = cache.encode(get_encoder(), sentences + sentences[:1])
    cache.save()
    reloaded = EmbeddingCache(path)
    second = reloaded.encode(get_encoder(), sentences)
    assert len(reloaded) == 3
    assert float(np.abs(second - ref).max()) < 1e-4
    assert float(np.abs(first[3] - first[0]).max()) == 0.0


def test_mean_and_max_pooling_blocks() -> None:
    sentences, ref = _reference()
    emb = get_encoder(poolings=("mean", "max")).encode(sentences)
    assert emb.shape == (3, 768)
    assert float(np.abs(emb[:, :384] - ref).max()) < 1e-4
    assert np.allclose(np.linalg.norm(emb[:, 384:], axis=1), 1.0, atol=1e-5)
