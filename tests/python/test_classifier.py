"""leadkit.LeadScoreClassifier: learning the predictive score, checked against scikit-learn."""
import numpy as np
import pytest

import leadkit

sklearn = pytest.importorskip("sklearn")
from sklearn.base import clone  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402


@pytest.fixture(scope="module")
def data():
    leads = leadkit.datasets.make_leads(20000, seed=11)
    sc = leadkit.Scorecard((__import__("pathlib").Path(__file__).resolve().parents[2]
                            / "examples/data/scorecard.json").read_text())
    return sc.transform(leads), leads["converted"].to_numpy()


def objective(X, y, coef, intercept, C):
    z = X.astype(np.float64) @ np.ravel(coef) + float(np.ravel(intercept)[0])
    return np.sum(np.logaddexp(0, z) - y * z) + 0.5 / C * np.sum(np.square(coef))


def test_matches_scikit_learn_at_a_lower_or_equal_objective(data):
    X, y = data
    clf = leadkit.LeadScoreClassifier(C=0.5).fit(X, y)
    sk = LogisticRegression(C=0.5, tol=1e-8, max_iter=5000).fit(X, y)
    assert clf.converged_ and clf.n_iter_[0] <= 20
    assert clf.coef_.shape == (1, X.shape[1]) and clf.intercept_.shape == (1,)
    f_lk = objective(X, y, clf.coef_, clf.intercept_, 0.5)
    f_sk = objective(X, y, sk.coef_, sk.intercept_, 0.5)
    assert f_lk <= f_sk * (1 + 1e-7)
    np.testing.assert_allclose(clf.coef_, sk.coef_, atol=0.02)
    p = clf.predict_proba(X)
    assert p.shape == (len(X), 2)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-6)
    assert abs(roc_auc_score(y, p[:, 1]) - roc_auc_score(y, sk.predict_proba(X)[:, 1])) < 1e-3
    assert set(clf.predict(X)) <= {0, 1}
    assert 0.8 < clf.score(X, y) <= 1.0


def test_estimator_protocol_and_labels(data):
    X, y = data
    clf = leadkit.LeadScoreClassifier(C=2.0, n_threads=1)
    assert clone(clf).get_params()["C"] == 2.0
    labels = np.where(y == 1, "won", "lost")
    clf.fit(X, labels)
    assert list(clf.classes_) == ["lost", "won"]
    assert set(clf.predict(X[:100])) <= {"lost", "won"}
    two = leadkit.LeadScoreClassifier(C=2.0, n_threads=2).fit(X, labels)
    np.testing.assert_array_equal(clf.coef_, two.coef_)  # any thread count, the same weights
    proba, feats, contrib = clf.reasons(X[:10], k=2)
    assert feats.shape == (10, 2) and contrib.shape == (10, 2)
    # Weights by feature name drop into a Scorecard's "logistic" section.
    assert clf.model_.n_features == X.shape[1]


def test_sample_weights_and_bad_input(data):
    X, y = data
    w = np.ones(len(y))
    w[y == 1] = 3.0
    heavy = leadkit.LeadScoreClassifier().fit(X, y, sample_weight=w)
    plain = leadkit.LeadScoreClassifier().fit(X, y)
    assert heavy.intercept_[0] > plain.intercept_[0]  # positives count more
    with pytest.raises(ValueError, match="exactly two classes"):
        leadkit.LeadScoreClassifier().fit(X, np.zeros(len(y)))
    with pytest.raises(ValueError, match="exactly two classes"):
        leadkit.LeadScoreClassifier().fit(X, np.arange(len(y)) % 3)
    with pytest.raises(ValueError, match="2-D"):
        leadkit.LeadScoreClassifier().fit(X[:, 0], y)
    bad = w.copy()
    bad[5] = -1
    with pytest.raises(leadkit.InvalidInputError, match=r"sample_weight\[5\]"):
        leadkit.LeadScoreClassifier().fit(X, y, sample_weight=bad)
    with pytest.raises(leadkit.InvalidInputError, match="C: must be a finite number > 0"):
        leadkit.LeadScoreClassifier(C=0).fit(X, y)
    Xn = X.copy()
    Xn[7, 3] = np.nan
    with pytest.raises(leadkit.InvalidInputError, match="row 7"):
        leadkit.LeadScoreClassifier().fit(Xn, y)
    with pytest.raises(sklearn.exceptions.NotFittedError):
        leadkit.LeadScoreClassifier().predict_proba(X)
