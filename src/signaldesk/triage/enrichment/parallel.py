"""The text stage of batch triage (and the classifier) in forked worker processes.

The text cores (cleaning, language, sentiment, risk flags, entities with catalog products) and
the TF-IDF prediction are pure functions and cost most of a ticket's CPU time, so
`ticket_triage_many` hands each chunk's (subject, inbound messages) to a pool of forked workers
and joins and stores the previous chunk while they work. The catalog and the classifier are set
before the fork, so every worker inherits them instead of receiving them by pickle; workers
never touch the database (the parent's connection is inherited but unused, and pool workers
leave through `os._exit`, so nothing closes it behind our back).

The pool is used only when it is safe and useful, as for the import reader
(intake/importers/pipeline.py): the platform can fork, this process runs a single thread
(forking a threaded web server can deadlock the child) and is not itself a daemonic worker,
SIGNALDESK_TRIAGE_WORKERS is not "0" (default 2) and the batch has at least MIN_TICKETS
tickets. Otherwise the same functions run inline, so both paths give the same results."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Sequence
from typing import Any

from signaldesk.triage.enrichment.text import TextSignals, analyze_text, segments_for
from signaldesk.triage.ml import Prediction, ReasonClassifier
from signaldesk.triage.text.products import Catalog

MIN_TICKETS = 400  # below this, forking costs more than it saves
PIECE = 50  # tickets per task handed to a worker (small pieces keep both workers busy)
DEFAULT_WORKERS = 2

Item = tuple[str, Sequence[tuple[int, str]]]  # (ticket subject, inbound (message id, body))

# Set in the parent before the fork, inherited by the workers.
_catalog: Catalog | None = None
_classifier: ReasonClassifier | None = None


def analyze_items(items: Sequence[Item], catalog: Catalog | None) -> list[TextSignals]:
    """The text signals of each ticket, in order (the inline path)."""
    return [analyze_text(segments_for(subject, messages), catalog) for subject, messages in items]


def predict_texts(classifier: ReasonClassifier, texts: Sequence[str]) -> list[Prediction | None]:
    """The classifier's prediction for each non-blank text (None for blank ones), predicted as
    one vectorised call: features and scores are row-wise, so the numbers are the same as one
    text at a time."""
    wanted = [i for i, text in enumerate(texts) if text.strip()]
    out: list[Prediction | None] = [None] * len(texts)
    if wanted:
        for i, pred in zip(wanted, classifier.predict([texts[i] for i in wanted]), strict=True):
            out[i] = pred
    return out


Analysed = tuple[list[TextSignals], list[Prediction | None] | None]


def _work(items: list[Item]) -> Analysed:
    signals = analyze_items(items, _catalog)
    if _classifier is None:
        return signals, None
    return signals, predict_texts(_classifier, [s.text for s in signals])


def workers_wanted(tickets: int) -> int:
    """How many worker processes a batch of `tickets` should use; 0 means inline."""
    configured = int(os.environ.get("SIGNALDESK_TRIAGE_WORKERS", str(DEFAULT_WORKERS)))
    if (
        configured <= 0
        or tickets < MIN_TICKETS
        or "fork" not in multiprocessing.get_all_start_methods()
        or threading.active_count() != 1
        or multiprocessing.current_process().daemon  # e.g. a pool worker: may not fork
    ):
        return 0
    return configured


class Pending:
    """Signals (and, when the stage has a classifier, predictions) of one chunk, computed
    inline or still being computed by the pool."""

    def __init__(self, result: Any = None, done: Analysed | None = None) -> None:
        self._result = result
        self._done = done

    def get(self) -> Analysed:
        if self._done is None:
            pieces: list[Analysed] = self._result.get()
            signals = [s for piece, _ in pieces for s in piece]
            preds: list[Prediction | None] | None = None
            if all(p is not None for _, p in pieces):
                preds = [p for _, piece_preds in pieces for p in piece_preds or []]
            self._done = (signals, preds)
        return self._done


class TextStage:
    """`submit(items)` returns at once; `Pending.get()` waits for that chunk's signals.
    Use as a context manager: the pool (if any) is closed on exit."""

    def __init__(
        self,
        catalog: Catalog | None,
        *,
        workers: int,
        classifier: ReasonClassifier | None = None,
    ) -> None:
        self.catalog = catalog
        self.workers = workers
        self.classifier = classifier  # predicted in the workers too (None: not at all here)
        self._pool: Any = None

    def __enter__(self) -> TextStage:
        global _catalog, _classifier
        if self.workers > 0:
            _catalog, _classifier = self.catalog, self.classifier
            gc.freeze()  # the inherited heap stays out of the children's collections: fewer
            try:  # copy-on-write pages copied
                self._pool = multiprocessing.get_context("fork").Pool(self.workers)
            finally:
                gc.unfreeze()
        return self

    def __exit__(self, *exc: object) -> None:
        global _catalog, _classifier
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        _catalog, _classifier = None, None

    def submit(self, items: Sequence[Item]) -> Pending:
        if self._pool is None:
            signals = analyze_items(items, self.catalog)
            return Pending(done=(signals, None))
        pieces = [list(items[i : i + PIECE]) for i in range(0, len(items), PIECE)]
        return Pending(result=self._pool.map_async(_work, pieces, chunksize=1))
