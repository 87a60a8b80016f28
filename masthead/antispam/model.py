"""``SpamModel``: a calibrated linear classifier over hashed features that learns online.

Scoring is a dot product between the hashed features of a comment and a weight vector,
then Platt scaling (two floats) to a spam probability.

Learning from moderators (``update``) refits the weights on every decision kept so far
(the most recent ``max_feedback``), with a penalty that pulls each weight towards the
shipped weight by as much as the training data pinned it down (a diagonal Laplace
approximation of the trained model). A weight the training data never touched (a word
unseen on YouTube) follows the site's decisions almost freely; one it learnt from hundreds of
comments moves only when the site gives as much evidence against it. Unlike plain SGD
steps, a refit does not depend on the order of decisions or on a learning rate, a single
mislabelled decision cannot drag the model far, and taking a decision back is a refit
without it. The decisions are kept as hashed feature rows (not text) in the model file.

Probabilities are recalibrated on the site's own decisions once there are enough of them,
from each decision's score *before* the model learnt from it (so calibration never sees
scores of comments the model was fitted on).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp

from .errors import ModelLoadError
from .features import FeatureConfig, Featurizer
from .linear import fit_logistic, fit_platt, platt
from .samples import CommentSample
from .storage import read_model_file, write_model_file

__all__ = ["SpamModel", "Verdict"]

Verdict = Literal["ham", "spam", "discard"]
MODEL_FORMAT = "masthead-spam-model"


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
    max_feedback: int = 20000
    min_feedback_for_calibration: int = 20
    feedback_X: sp.csr_matrix | None = None
    feedback_y: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    feedback_margins: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float64))
    n_updates: int = 0

    def __post_init__(self) -> None:
        self.featurizer = Featurizer(self.config)
        n = self.featurizer.n_features
        for name in ("weights", "prior_weights", "prior_precision"):
            array = np.ascontiguousarray(getattr(self, name), dtype=np.float32)
            if array.shape != (n,):
                raise ValueError(f"{name} must have shape ({n},), not {array.shape}")
            setattr(self, name, array)
        if self.feedback_X is None:
            self.feedback_X = sp.csr_matrix((0, n), dtype=np.float64)

    # -- scoring -----------------------------------------------------------------------

    def decision_function(self, samples: Sequence[CommentSample]) -> np.ndarray:
        """Raw margins (log-odds before calibration) of several comments."""
        X = self.featurizer.transform(samples)
        return X @ self.weights.astype(np.float64) + self.bias

    def predict_proba(self, samples: Sequence[CommentSample]) -> np.ndarray:
        """Calibrated spam probability of each comment, shape ``(len(samples),)``."""
        return platt(self.decision_function(samples), *self.calibration)

    def score(self, sample: CommentSample) -> float:
        """Spam probability of one comment: the fast path for the comment form."""
        indices, values = self.featurizer.row(sample)
        margin = float(values @ self.weights[indices]) + self.bias
        return float(platt(margin, *self.calibration))

    def verdict(self, probability: float) -> Verdict:
        """``discard`` above the discard threshold, ``spam`` above the threshold."""
        if probability >= self.discard_threshold:
            return "discard"
        if probability >= self.threshold:
            return "spam"
        return "ham"

    # -- learning from moderators ------------------------------------------------------

    def update(self, samples: Sequence[CommentSample], labels: Sequence[int] | np.ndarray) -> None:
        """Learn from moderator decisions (1 = spam, 0 = ham), then refit.

        Call it with each decision or with a batch; the result is the same, because the
        refit always covers every decision kept.
        """
        y = np.asarray(labels, dtype=np.int8).ravel()
        if len(y) != len(samples):
            raise ValueError(f"{len(samples)} samples but {len(y)} labels")
        if not len(y):
            return
        if not np.isin(y, (0, 1)).all():
            raise ValueError("labels must be 1 (spam) or 0 (ham)")
        X_new = self.featurizer.transform(samples)
        margins = X_new @ self.weights.astype(np.float64) + self.bias
        assert self.feedback_X is not None
        X_all = sp.vstack([self.feedback_X, X_new], format="csr")
        y_all = np.concatenate([self.feedback_y, y])
        m_all = np.concatenate([self.feedback_margins, margins])
        if len(y_all) > self.max_feedback:
            X_all, y_all, m_all = (
                X_all[-self.max_feedback :],
                y_all[-self.max_feedback :],
                m_all[-self.max_feedback :],
            )
        self.feedback_X, self.feedback_y, self.feedback_margins = X_all, y_all, m_all
        self.n_updates += len(y)
        self._refit()

    def _refit(self) -> None:
        assert self.feedback_X is not None
        weight = float(self.params.get("feedback_weight", 1.0))
        w, b = fit_logistic_prior(
            self.feedback_X,
            self.feedback_y,
            sample_weight=np.full(len(self.feedback_y), weight),
            prior_weights=self.prior_weights,
            prior_bias=self.prior_bias,
            precision=self.prior_precision,
            bias_precision=self.prior_bias_precision,
            start=(self.weights, self.bias),
        )
        self.weights = w.astype(np.float32)
        self.bias = b
        n_spam = int(self.feedback_y.sum())
        n_ham = len(self.feedback_y) - n_spam
        if min(n_spam, n_ham) >= self.min_feedback_for_calibration:
            recent = slice(-1000, None)
            self.calibration = fit_platt(self.feedback_margins[recent], self.feedback_y[recent])
        base = self.version.split("+", 1)[0]
        self.version = f"{base}+{self.n_updates}"

    # -- metadata and storage ----------------------------------------------------------

    @property
    def metadata(self) -> dict[str, object]:
        return {
            "version": self.version,
            "trained_at": self.trained_at,
            "n_train": self.n_train,
            "n_updates": self.n_updates,
            "n_feedback_kept": len(self.feedback_y),
            "threshold": self.threshold,
            "discard_threshold": self.discard_threshold,
            "evaluation": dict(self.evaluation),
            "params": dict(self.params),
        }

    def memory_bytes(self) -> int:
        """Bytes held by the model's arrays (weights, priors, kept decisions)."""
        assert self.feedback_X is not None
        feedback = self.feedback_X
        return int(
            self.weights.nbytes
            + self.prior_weights.nbytes
            + self.prior_precision.nbytes
            + feedback.data.nbytes
            + feedback.indices.nbytes
            + feedback.indptr.nbytes
            + self.feedback_y.nbytes
            + self.feedback_margins.nbytes
        )

    def save(self, path: str | os.PathLike[str], *, key: bytes | None = None) -> None:
        """Write the model to ``path`` (see ``storage``); ``key`` signs it with HMAC."""
        assert self.feedback_X is not None
        header = {
            "format": MODEL_FORMAT,
            "feature_config": self.config.to_dict(),
            "bias": self.bias,
            "prior_bias": self.prior_bias,
            "prior_bias_precision": self.prior_bias_precision,
            "calibration": list(self.calibration),
            "threshold": self.threshold,
            "discard_threshold": self.discard_threshold,
            "C": self.C,
            "version": self.version,
            "trained_at": self.trained_at,
            "n_train": self.n_train,
            "evaluation": self.evaluation,
            "params": self.params,
            "max_feedback": self.max_feedback,
            "min_feedback_for_calibration": self.min_feedback_for_calibration,
            "n_updates": self.n_updates,
        }
        arrays: dict[str, np.ndarray] = {}
        arrays.update(_sparse_vector("weights", self.weights))
        arrays.update(_sparse_vector("prior_weights", self.prior_weights))
        arrays.update(_sparse_vector("prior_precision", self.prior_precision, base=1 / self.C))
        feedback = self.feedback_X
        arrays["feedback_indptr"] = feedback.indptr.astype(np.int64)
        arrays["feedback_indices"] = feedback.indices.astype(np.int32)
        arrays["feedback_data"] = feedback.data.astype(np.float64)
        arrays["feedback_y"] = self.feedback_y.astype(np.int8)
        arrays["feedback_margins"] = self.feedback_margins.astype(np.float64)
        write_model_file(path, header, arrays, key=key)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, key: bytes | None = None) -> SpamModel:
        """Read a model written by ``save``; raise ``ModelLoadError`` if it is unusable."""
        header, arrays = read_model_file(path, key=key)
        if header.get("format") != MODEL_FORMAT:
            raise ModelLoadError(f"{path}: not a Masthead spam model (format is missing).")
        try:
            config = FeatureConfig.from_dict(dict(header["feature_config"]))  # type: ignore[arg-type]
            n = 2**config.n_bits
            C = float(header["C"])  # type: ignore[arg-type]
            feedback_X = sp.csr_matrix(
                (arrays["feedback_data"], arrays["feedback_indices"], arrays["feedback_indptr"]),
                shape=(len(arrays["feedback_indptr"]) - 1, n),
            )
            feedback_X.check_format(full_check=True)
            a, b = header["calibration"]  # type: ignore[misc]
            return cls(
                config=config,
                weights=_dense_vector(arrays, "weights", n),
                bias=float(header["bias"]),  # type: ignore[arg-type]
                prior_weights=_dense_vector(arrays, "prior_weights", n),
                prior_bias=float(header["prior_bias"]),  # type: ignore[arg-type]
                prior_precision=_dense_vector(arrays, "prior_precision", n, base=1 / C),
                prior_bias_precision=float(header["prior_bias_precision"]),  # type: ignore[arg-type]
                calibration=(float(a), float(b)),
                threshold=float(header["threshold"]),  # type: ignore[arg-type]
                discard_threshold=float(header["discard_threshold"]),  # type: ignore[arg-type]
                C=C,
                version=str(header["version"]),
                trained_at=str(header["trained_at"]),
                n_train=int(header["n_train"]),  # type: ignore[call-overload]
                evaluation=dict(header["evaluation"]),  # type: ignore[call-overload]
                params=dict(header["params"]),  # type: ignore[call-overload]
                max_feedback=int(header["max_feedback"]),  # type: ignore[call-overload]
                min_feedback_for_calibration=int(header["min_feedback_for_calibration"]),  # type: ignore[call-overload]
                feedback_X=feedback_X,
                feedback_y=arrays["feedback_y"].astype(np.int8),
                feedback_margins=arrays["feedback_margins"].astype(np.float64),
                n_updates=int(header["n_updates"]),  # type: ignore[call-overload]
            )
        except (KeyError, TypeError, ValueError, IndexError) as err:
            raise ModelLoadError(
                f"{path}: the model file is incomplete or inconsistent ({err!r}). Retrain it."
            ) from err


def fit_logistic_prior(
    X: sp.csr_matrix,
    y: np.ndarray,
    *,
    sample_weight: np.ndarray,
    prior_weights: np.ndarray,
    prior_bias: float,
    precision: np.ndarray,
    bias_precision: float,
    start: tuple[np.ndarray, float],
) -> tuple[np.ndarray, float]:
    """Log-loss on ``X, y`` plus ``sum(precision * (w - prior)**2) / 2``.

    Implemented by rescaling columns: with ``v = sqrt(precision) * (w - prior)`` the
    penalty becomes a plain ``||v||² / 2`` (``C = 1``), which ``fit_logistic`` solves.
    """
    scale = 1.0 / np.sqrt(precision.astype(np.float64))
    offset = X @ prior_weights.astype(np.float64)
    X_scaled = (X @ sp.diags(scale)).tocsr()
    start_v = (start[0].astype(np.float64) - prior_weights) / scale
    v, b = fit_logistic(
        X_scaled,
        y,
        C=1.0,
        sample_weight=sample_weight,
        prior_bias=prior_bias,
        bias_penalty=bias_precision,
        start=(start_v, start[1]),
        offset=offset,
    )
    return prior_weights + v * scale, b


def _sparse_vector(name: str, vector: np.ndarray, base: float = 0.0) -> dict[str, np.ndarray]:
    nonzero = np.flatnonzero(vector != np.float32(base)).astype(np.int32)
    return {f"{name}_idx": nonzero, f"{name}_val": vector[nonzero].astype(np.float32)}


def _dense_vector(
    arrays: dict[str, np.ndarray], name: str, n: int, base: float = 0.0
) -> np.ndarray:
    indices = arrays[f"{name}_idx"].astype(np.int64)
    values = arrays[f"{name}_val"].astype(np.float32)
    if len(indices) != len(values) or (len(indices) and (indices.min() < 0 or indices.max() >= n)):
        raise ValueError(f"{name}: indices out of range")
    dense = np.full(n, np.float32(base), dtype=np.float32)
    dense[indices] = values
    return dense
