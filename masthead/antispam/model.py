"""``SpamModel``: a calibrated linear classifier over hashed features that learns online.

Scoring is a dot product between the hashed features of a comment and a weight vector,
then Platt scaling (two floats) to a spam probability.

Learning from moderators (``update``) keeps every decision (the most recent
``max_feedback`` within ``max_feedback_nnz`` non-zero features, as hashed feature rows, not
text) and refits two linear models on them:

* the *anchored* model: the shipped weights, refitted with a penalty that pulls each
  weight back by as much as the training data pinned it down (a diagonal Laplace
  approximation, scaled so the training set counts as ``prior_decisions`` decisions).
  A word never seen in training follows the site's decisions freely; a well-established
  one moves only when the site gives enough evidence against it;
* the *local* model: the same features fitted on the site's decisions alone (with the
  hand-made prior on the tokens of ``patterns.SPAM_EVIDENCE``, but nothing learnt elsewhere).

Their calibrated probabilities are mixed with Bayesian weights from each model's
*prequential* log-loss: every decision is first scored by both models as they were before
learning it (the local model joins, calibrated on its own prequential scores, once it has
seen ``MIN_LOCAL_CALIBRATION`` decisions of each kind). On a site like the training data
the anchored model keeps the weight; on a very different site the local model takes over
as soon as it predicts that site's decisions better. A refit (rather
than SGD steps) does not depend on a learning rate or on the order of decisions, and a
single mislabelled decision cannot drag the model far.

The anchored model's calibration is refitted on its prequential scores once the site has
``min_feedback_for_calibration`` decisions of each kind.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, logit

from .errors import ModelLoadError
from .features import FeatureConfig, Featurizer
from .linear import fit_logistic, fit_logistic_prior, fit_platt, platt
from .samples import CommentSample
from .storage import (
    decode_model_bytes,
    dense_vector,
    encode_model_bytes,
    read_model_file,
    sparse_vector,
    write_model_file,
)

__all__ = ["DEFAULT_MODEL_PATH", "SpamModel", "Verdict"]

# The model Masthead ships (see data/README.md for how it is built).
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "default.mhspam"

Verdict = Literal["ham", "spam", "discard"]
MODEL_FORMAT = "masthead-spam-model"
# Prior weight of the local model in the mixture before the site has any decision.
LOCAL_PRIOR = 0.01
# Decisions of each kind the local model needs before it is calibrated and mixed in.
MIN_LOCAL_CALIBRATION = 5
_EPS = 1e-4
# Header fields stored as they are, with the type each must have.
_SCALARS: dict[str, type] = {
    "bias": float, "prior_bias": float, "prior_bias_precision": float, "threshold": float,
    "discard_threshold": float, "C": float, "version": str, "trained_at": str, "n_train": int,
    "max_feedback": int, "max_feedback_nnz": int, "min_feedback_for_calibration": int,
    "n_updates": int,
    "local_bias": float,
}  # fmt: skip


@dataclass(eq=False)
class SpamModel:
    """A trained spam classifier. Build one with ``training.train`` or ``SpamModel.load``."""

    config: FeatureConfig
    weights: np.ndarray
    bias: float
    prior_weights: np.ndarray
    prior_bias: float
    prior_precision: np.ndarray
    prior_bias_precision: float
    calibration: tuple[float, float]
    threshold: float = 0.5
    discard_threshold: float = 0.99
    C: float = 30.0
    version: str = ""
    trained_at: str = ""
    n_train: int = 0
    evaluation: dict[str, float] = field(default_factory=dict)
    params: dict[str, object] = field(default_factory=dict)
    max_feedback: int = 10000
    # About 8 bytes each: 2M non-zero features keep the decisions under 16 MiB.
    max_feedback_nnz: int = 2_000_000
    min_feedback_for_calibration: int = 20
    feedback_X: sp.csr_matrix | None = None
    feedback_y: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    feedback_margins: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float64))
    n_updates: int = 0
    local_weights: np.ndarray | None = None
    local_bias: float = 0.0
    # Cumulative prequential log-loss of the anchored and the local model.
    mixture_loss: tuple[float, float] = (0.0, 0.0)
    local_calibration: tuple[float, float] = (1.0, 0.0)
    local_margins: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float64))

    def __post_init__(self) -> None:
        self.featurizer = Featurizer(self.config)
        n = self.featurizer.n_features
        if self.local_weights is None:
            self.local_weights = np.zeros(n, np.float32)
        for name in ("weights", "prior_weights", "prior_precision", "local_weights"):
            array = np.ascontiguousarray(getattr(self, name), dtype=np.float32)
            if array.shape != (n,):
                raise ValueError(f"{name} must have shape ({n},), not {array.shape}")
            setattr(self, name, array)
        if self.feedback_X is None:
            self.feedback_X = sp.csr_matrix((0, n), dtype=np.float32)

    # -- scoring -----------------------------------------------------------------------

    @property
    def local_share(self) -> float:
        """Weight of the local model (fitted on this site's decisions only) in the mix."""
        if not self._local_calibrated():
            return 0.0
        anchored, local = self.mixture_loss
        log_odds = math.log(LOCAL_PRIOR / (1 - LOCAL_PRIOR)) + anchored - local
        return float(expit(log_odds))

    def predict_proba(self, samples: Sequence[CommentSample]) -> np.ndarray:
        """Calibrated spam probability of each comment, shape ``(len(samples),)``."""
        X = self.featurizer.transform(samples)
        share = self.local_share
        p = platt(X @ self.weights.astype(np.float64) + self.bias, *self.calibration)
        if share:
            assert self.local_weights is not None
            local = platt(
                X @ self.local_weights.astype(np.float64) + self.local_bias,
                *self.local_calibration,
            )
            p = (1 - share) * p + share * local
        return p

    def decision_function(self, samples: Sequence[CommentSample]) -> np.ndarray:
        """Log-odds of ``predict_proba`` (for ranking and plotting)."""
        return logit(np.clip(self.predict_proba(samples), 1e-12, 1 - 1e-12))

    def score(self, sample: CommentSample, *, blocks: list | None = None) -> float:
        """Spam probability of one comment: the fast path for the comment form. ``blocks``:
        the sample's ``featurizer.tokens()``, when the caller already has them."""
        if blocks is None:
            blocks = self.featurizer.tokens(sample)
        indices, values = self.featurizer.row_from(blocks)
        margin = float(values @ self.weights[indices]) + self.bias
        p = float(platt(margin, *self.calibration))
        share = self.local_share
        if share:
            assert self.local_weights is not None
            local_margin = float(values @ self.local_weights[indices]) + self.local_bias
            local = float(platt(local_margin, *self.local_calibration))
            p = (1 - share) * p + share * local
        return p

    def verdict(self, probability: float) -> Verdict:
        """``discard`` above the discard threshold, ``spam`` above the threshold."""
        if probability >= self.discard_threshold:
            return "discard"
        if probability >= self.threshold:
            return "spam"
        return "ham"

    # -- learning from moderators ------------------------------------------------------

    def update(self, samples: Sequence[CommentSample], labels: Sequence[int] | np.ndarray) -> None:
        """Learn from moderator decisions (1 = spam, 0 = ham).

        Each call scores the new decisions with the current models (for the mixture and the
        calibration), stores them and refits. Call it per decision or per batch.
        """
        y = np.asarray(labels).ravel()
        if len(y) != len(samples):
            raise ValueError(f"{len(samples)} samples but {len(y)} labels")
        if not len(y):
            return
        if not np.isin(y, (0, 1)).all():
            raise ValueError("labels must be 1 (spam) or 0 (ham)")
        y = y.astype(np.int8)
        assert self.feedback_X is not None
        assert self.local_weights is not None
        X_new = self.featurizer.transform(samples)
        margins = X_new @ self.weights.astype(np.float64) + self.bias
        p_anchored = np.clip(platt(margins, *self.calibration), _EPS, 1 - _EPS)
        local_margins = X_new @ self.local_weights.astype(np.float64) + self.local_bias
        if self._local_calibrated():  # compare the two only where both really predict
            p_local = np.clip(platt(local_margins, *self.local_calibration), _EPS, 1 - _EPS)
            self.mixture_loss = (
                self.mixture_loss[0] + _log_loss(y, p_anchored),
                self.mixture_loss[1] + _log_loss(y, p_local),
            )
        X_all = sp.vstack([self.feedback_X, X_new.astype(np.float32)], format="csr")
        # Keep the most recent decisions, within a row count and a memory budget.
        first = max(0, X_all.shape[0] - self.max_feedback)
        excess = int(X_all.indptr[-1] - X_all.indptr[first]) - self.max_feedback_nnz
        if excess > 0:
            first = int(np.searchsorted(X_all.indptr, X_all.indptr[first] + excess))
        keep = slice(first, None)
        self.feedback_X = X_all[keep]
        self.feedback_y = np.concatenate([self.feedback_y, y])[keep]
        self.feedback_margins = np.concatenate([self.feedback_margins, margins])[keep]
        self.local_margins = np.concatenate([self.local_margins, local_margins])[keep]
        self.n_updates += len(y)
        self._refit()

    def _local_ready(self) -> bool:
        return 0 < int(self.feedback_y.sum()) < len(self.feedback_y)

    def _local_calibrated(self) -> bool:
        n_spam = int(self.feedback_y.sum())
        return min(n_spam, len(self.feedback_y) - n_spam) >= MIN_LOCAL_CALIBRATION

    def _refit(self) -> None:
        assert self.feedback_X is not None
        assert self.local_weights is not None
        X, y = self.feedback_X, self.feedback_y
        sample_weight = np.full(len(y), float(self.params.get("feedback_weight", 1.0)))
        weights, self.bias = fit_logistic_prior(
            X,
            y,
            sample_weight=sample_weight,
            prior_weights=self.prior_weights,
            prior_bias=self.prior_bias,
            precision=self.prior_precision,
            bias_precision=self.prior_bias_precision,
            start=(self.weights, self.bias),
        )
        self.weights = weights.astype(np.float32)
        if self._local_ready():
            # The site-only model keeps the hand-made prior (SPAM_EVIDENCE), not YouTube's.
            evidence = self.featurizer.prior_weights(float(self.params.get("prior_margin", 0.0)))
            local, self.local_bias = fit_logistic(
                X, y, C=self.C, prior_weights=evidence, start=(self.local_weights, self.local_bias)
            )
            self.local_weights = local.astype(np.float32)
        if self._local_calibrated():
            # Prequential margins of the local model: each from before it saw that row.
            self.local_calibration = fit_platt(self.local_margins[-1000:], y[-1000:])
        n_spam = int(y.sum())
        if min(n_spam, len(y) - n_spam) >= self.min_feedback_for_calibration:
            recent = slice(-1000, None)
            self.calibration = fit_platt(self.feedback_margins[recent], y[recent])
        self.version = f"{self.version.split('+', 1)[0]}+{self.n_updates}"

    # -- metadata and storage ----------------------------------------------------------

    @property
    def metadata(self) -> dict[str, object]:
        return {
            "version": self.version,
            "trained_at": self.trained_at,
            "n_train": self.n_train,
            "n_updates": self.n_updates,
            "n_feedback_kept": len(self.feedback_y),
            "local_share": round(self.local_share, 4),
            "threshold": self.threshold,
            "discard_threshold": self.discard_threshold,
            "evaluation": dict(self.evaluation),
            "params": dict(self.params),
        }

    def memory_bytes(self) -> int:
        """Bytes held by the model's arrays (weights, priors, kept decisions)."""
        assert self.feedback_X is not None
        assert self.local_weights is not None
        arrays = (
            self.weights, self.prior_weights, self.prior_precision, self.local_weights,
            self.feedback_X.data, self.feedback_X.indices, self.feedback_X.indptr,
            self.feedback_y, self.feedback_margins, self.local_margins,
        )  # fmt: skip
        return int(sum(a.nbytes for a in arrays))

    def save(self, path: str | os.PathLike[str], *, key: bytes | None = None) -> None:
        """Write the model to ``path`` (see ``storage``); ``key`` signs it with HMAC."""
        write_model_file(path, *self._contents(), key=key)

    def to_bytes(self, *, key: bytes | None = None) -> bytes:
        """The bytes ``save`` would write, for storing the model elsewhere than a file."""
        return encode_model_bytes(*self._contents(), key=key)

    def _contents(self) -> tuple[dict[str, object], dict[str, np.ndarray]]:
        assert self.feedback_X is not None
        assert self.local_weights is not None
        header: dict[str, object] = {name: getattr(self, name) for name in _SCALARS}
        header.update(
            format=MODEL_FORMAT,
            feature_config=self.config.to_dict(),
            calibration=list(self.calibration),
            evaluation=self.evaluation,
            params=self.params,
            mixture_loss=list(self.mixture_loss),
            local_calibration=list(self.local_calibration),
        )
        arrays: dict[str, np.ndarray] = {}
        arrays.update(sparse_vector("weights", self.weights))
        arrays.update(sparse_vector("prior_weights", self.prior_weights))
        arrays.update(sparse_vector("prior_precision", self.prior_precision, base=1 / self.C))
        arrays.update(sparse_vector("local_weights", self.local_weights))
        arrays["feedback_indptr"] = self.feedback_X.indptr.astype(np.int64)
        arrays["feedback_indices"] = self.feedback_X.indices.astype(np.int32)
        arrays["feedback_data"] = self.feedback_X.data.astype(np.float32)
        arrays["feedback_y"] = self.feedback_y.astype(np.int8)
        arrays["feedback_margins"] = self.feedback_margins.astype(np.float64)
        arrays["local_margins"] = self.local_margins.astype(np.float64)
        return header, arrays

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, key: bytes | None = None) -> SpamModel:
        """Read a model written by ``save``; raise ``ModelLoadError`` if it is unusable."""
        return cls._from_contents(*read_model_file(path, key=key), path=str(path))

    @classmethod
    def from_bytes(cls, data: bytes, *, key: bytes | None = None, name: str = "model") -> SpamModel:
        """Read bytes written by ``to_bytes`` (``name`` labels error messages)."""
        return cls._from_contents(*decode_model_bytes(data, name=name, key=key), path=name)

    @classmethod
    def _from_contents(
        cls, header: dict[str, object], arrays: dict[str, np.ndarray], *, path: str
    ) -> SpamModel:
        if header.get("format") != MODEL_FORMAT:
            raise ModelLoadError(f"{path}: not a Masthead spam model (format is missing).")
        try:
            config = FeatureConfig.from_dict(dict(header["feature_config"]))  # type: ignore[call-overload]
            n = 2**config.n_bits
            scalars = {name: kind(header[name]) for name, kind in _SCALARS.items()}
            C = scalars["C"]
            feedback_X = sp.csr_matrix(
                (arrays["feedback_data"], arrays["feedback_indices"], arrays["feedback_indptr"]),
                shape=(len(arrays["feedback_indptr"]) - 1, n),
            )
            feedback_X.check_format(full_check=True)
            a, b = header["calibration"]  # type: ignore[misc]
            anchored, local = header["mixture_loss"]  # type: ignore[misc]
            local_a, local_b = header["local_calibration"]  # type: ignore[misc]
            model = cls(
                config=config,
                weights=dense_vector(arrays, "weights", n),
                prior_weights=dense_vector(arrays, "prior_weights", n),
                prior_precision=dense_vector(arrays, "prior_precision", n, base=1 / C),
                local_weights=dense_vector(arrays, "local_weights", n),
                calibration=(float(a), float(b)),
                evaluation=dict(header["evaluation"]),  # type: ignore[call-overload]
                params=dict(header["params"]),  # type: ignore[call-overload]
                feedback_X=feedback_X,
                feedback_y=arrays["feedback_y"].astype(np.int8),
                feedback_margins=arrays["feedback_margins"].astype(np.float64),
                mixture_loss=(float(anchored), float(local)),
                local_calibration=(float(local_a), float(local_b)),
                local_margins=arrays["local_margins"].astype(np.float64),
                **scalars,  # type: ignore[arg-type]
            )
            lengths = {len(model.feedback_y), len(model.feedback_margins), len(model.local_margins)}
            if lengths != {feedback_X.shape[0]}:
                raise ValueError("feedback arrays differ in length")
            return model
        except (KeyError, TypeError, ValueError, IndexError) as err:
            raise ModelLoadError(
                f"{path}: the model file is incomplete or inconsistent ({err!r}). Retrain it."
            ) from err


def _log_loss(y: np.ndarray, p: np.ndarray) -> float:
    return float(-np.sum(np.where(y == 1, np.log(p), np.log(1 - p))))
