"""The two small optimisers behind the model: logistic regression and Platt scaling.

Both are written out here (on top of SciPy's L-BFGS-B) rather than taken from scikit-learn
for two reasons: the online update needs an L2 penalty that pulls the weights towards the
shipped weights instead of towards zero, and the result must be plain arrays that the
model file can store without pickling an estimator.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.special import expit
from threadpoolctl import threadpool_limits

__all__ = ["fit_logistic", "fit_logistic_prior", "fit_platt", "platt"]


def fit_logistic(
    X: sp.csr_matrix,
    y: np.ndarray,
    *,
    C: float,
    sample_weight: np.ndarray | None = None,
    prior_weights: np.ndarray | None = None,
    prior_bias: float = 0.0,
    bias_penalty: float = 0.0,
    start: tuple[np.ndarray, float] | None = None,
    offset: np.ndarray | None = None,
    max_iter: int = 500,
) -> tuple[np.ndarray, float]:
    """Fit ``w, b`` minimising the weighted log-loss plus ``||w - prior_weights||² / 2C``.

    ``bias_penalty`` (0 = none) adds ``bias_penalty * (b - prior_bias)² / 2``. ``start``
    warm-starts the search; ``offset`` is a fixed amount added to every row's margin.
    Deterministic: L-BFGS-B has no random state.
    """
    n_rows, n_cols = X.shape
    X = X.tocsr()
    used = np.unique(X.indices)
    if len(used) < n_cols:
        # Columns no row uses keep their prior value: solve for the others only.
        full_prior = np.zeros(n_cols) if prior_weights is None else prior_weights.astype(float)
        full_start = None if start is None else start[0].astype(np.float64)
        w_used, b = fit_logistic(
            X[:, used],
            y,
            C=C,
            sample_weight=sample_weight,
            prior_weights=full_prior[used],
            prior_bias=prior_bias,
            bias_penalty=bias_penalty,
            start=None if start is None else (full_start[used], start[1]),
            offset=offset,
            max_iter=max_iter,
        )
        w = full_prior.copy() if full_start is None else full_start.copy()
        w[used] = w_used
        if full_start is not None:  # unused columns relax to the prior, as the penalty wants
            unused = np.ones(n_cols, bool)
            unused[used] = False
            w[unused] = full_prior[unused]
        return w, b
    signs = np.where(np.asarray(y) > 0, 1.0, -1.0)
    weights = np.ones(n_rows) if sample_weight is None else np.asarray(sample_weight, float)
    prior = np.zeros(n_cols) if prior_weights is None else prior_weights.astype(np.float64)
    fixed = np.zeros(n_rows) if offset is None else np.asarray(offset, dtype=np.float64)
    X = X.tocsr()
    Xt = X.T.tocsr()

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[:-1]
        b = theta[-1]
        margins = signs * (X @ w + b + fixed)
        loss = float(np.sum(weights * np.logaddexp(0.0, -margins)))
        dz = -weights * signs * expit(-margins)
        diff = w - prior
        loss += float(diff @ diff) / (2.0 * C) + bias_penalty * (b - prior_bias) ** 2 / 2.0
        grad = np.empty_like(theta)
        grad[:-1] = Xt @ dz + diff / C
        grad[-1] = dz.sum() + bias_penalty * (b - prior_bias)
        return loss, grad

    if start is None:
        theta0 = np.append(prior, prior_bias)
    else:
        theta0 = np.append(start[0].astype(np.float64), float(start[1]))
    # One BLAS thread: the vectors are small, and OpenBLAS's thread start-up made each
    # L-BFGS step some 50 times slower on a 2-core machine.
    with threadpool_limits(1, user_api="blas"):
        result = minimize(
            objective,
            theta0,
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": max_iter, "gtol": 1e-6},
        )
    return result.x[:-1], float(result.x[-1])


def fit_platt(margins: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: ``a, b`` such that ``sigmoid(a * margin + b)`` is calibrated.

    Uses Platt's smoothed targets, so a perfectly separated set of margins still gives a
    finite slope.
    """
    margins = np.asarray(margins, dtype=np.float64)
    y = np.asarray(y)
    n_pos = int((y > 0).sum())
    n_neg = len(y) - n_pos
    targets = np.where(y > 0, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = theta[0] * margins + theta[1]
        p = expit(z)
        loss = float(np.sum(np.logaddexp(0.0, z) - targets * z))
        d = p - targets
        return loss, np.array([d @ margins, d.sum()])

    with threadpool_limits(1, user_api="blas"):
        result = minimize(objective, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B")
    return float(result.x[0]), float(result.x[1])


def platt(margins: np.ndarray | float, a: float, b: float) -> np.ndarray:
    """Calibrated probabilities from raw margins."""
    return expit(a * np.asarray(margins, dtype=np.float64) + b)


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
