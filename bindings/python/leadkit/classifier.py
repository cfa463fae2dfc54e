"""leadkit.LeadScoreClassifier: the predictive lead score as a scikit-learn estimator."""
import numpy as np

from . import _core

try:  # scikit-learn is optional: with it the estimator joins pipelines, clone, grid search
    from sklearn.base import BaseEstimator as _Base
    from sklearn.base import ClassifierMixin as _Mixin
except ImportError:  # pragma: no cover - python3-sklearn is in scripts/bootstrap
    class _Base:
        def get_params(self, deep=True):
            return {k: getattr(self, k) for k in ("C", "max_iter", "tol", "fit_intercept", "n_threads")}

        def set_params(self, **params):
            for k, v in params.items():
                setattr(self, k, v)
            return self

    class _Mixin:
        def score(self, X, y, sample_weight=None):
            return float(np.average(self.predict(X) == np.asarray(y), weights=sample_weight))


class LeadScoreClassifier(_Mixin, _Base):
    """Probability of conversion learned from history: L2-regularised logistic
    regression on encoded leads, as scikit-learn's ``LogisticRegression``
    defines it (same ``C``), fitted by Newton's method in double precision on
    all cores and scored by leadkit's fused kernel.

        clf = leadkit.LeadScoreClassifier(C=1.0).fit(X, converted)
        p = clf.predict_proba(X)[:, 1]
        clf.model_                      # the leadkit.LogisticModel, for a Scorecard or the C API

    ``X`` is converted to float32 (C order) once if it is not already; ``y``
    holds two classes (``classes_``; the second is "converted").
    """

    def __init__(self, C=1.0, max_iter=100, tol=1e-6, fit_intercept=True, n_threads=0):
        self.C = C
        self.max_iter = max_iter
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.n_threads = n_threads

    def _more_tags(self):
        return {"binary_only": True}

    @staticmethod
    def _features(X):
        if hasattr(X, "to_numpy"):
            X = X.to_numpy()
        X = np.asarray(X)
        if X.dtype == object or X.dtype.kind not in "fiub":
            raise ValueError(f"X: expected numeric features, got dtype {X.dtype}")
        if X.ndim != 2:
            raise ValueError(f"X: expected a 2-D array (n_leads, n_features), got shape {X.shape}; "
                             "for one lead use X.reshape(1, -1)")
        return np.ascontiguousarray(X, dtype=np.float32)

    def fit(self, X, y, sample_weight=None):
        X = self._features(X)
        y = np.asarray(y)
        if y.ndim != 1 or len(y) != len(X):
            raise ValueError(f"y: expected shape ({len(X)},), got {y.shape}")
        classes = np.unique(y)
        if len(classes) != 2:
            raise ValueError(f"y: a lead score needs exactly two classes (converted or not), got {len(classes)}: "
                             f"{classes[:5].tolist()}")
        self.classes_ = classes
        target = (y == classes[1]).astype(np.float32)
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=np.float32)
        self.model_, report = _core.fit_logistic(X, target, sample_weight, C=float(self.C),
                                                 max_iter=int(self.max_iter), tol=float(self.tol),
                                                 fit_intercept=bool(self.fit_intercept),
                                                 n_threads=int(self.n_threads))
        self.n_iter_ = np.array([report["iterations"]])
        self.converged_ = report["converged"]
        self.loss_ = report["loss"]
        self.coef_ = np.asarray(self.model_.weights, dtype=np.float64).reshape(1, -1)
        self.intercept_ = np.array([self.model_.intercept], dtype=np.float64)
        self.n_features_in_ = X.shape[1]
        return self

    def _check_fitted(self):
        if not hasattr(self, "model_"):
            try:
                from sklearn.exceptions import NotFittedError
            except ImportError:  # pragma: no cover
                NotFittedError = AttributeError
            raise NotFittedError("This LeadScoreClassifier instance is not fitted yet; call fit(X, y) first")

    def decision_function(self, X):
        """Log-odds of conversion per lead."""
        self._check_fitted()
        return self.model_.decision_function(self._features(X), n_threads=self.n_threads)

    def predict_proba(self, X):
        """(n_leads, 2): P(classes_[0]), P(classes_[1])."""
        self._check_fitted()
        p = self.model_.predict_proba(self._features(X), n_threads=self.n_threads)
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

    def reasons(self, X, k=3):
        """(probabilities, features (n, k), contributions (n, k)): why each lead scored as it did."""
        self._check_fitted()
        return self.model_.reasons(self._features(X), k=k, n_threads=self.n_threads)
