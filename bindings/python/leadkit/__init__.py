"""leadkit: fast B2B lead scoring and buyer-persona matching.

    >>> import numpy as np, leadkit
    >>> model = leadkit.LogisticModel(np.array([1.6, 1.2, 1.5, 1.1], np.float32), intercept=-3.0)
    >>> X = np.array([[1.0, 0.9, 0.8, 2.0]], dtype=np.float32)
    >>> model.predict_proba(X).round(3)
    array([0.956], dtype=float32)

Feature matrices are float32 arrays of shape (n_leads, n_features) whose rows
are contiguous (C order, or a row slice / leading columns of one); they are
scored in place, without a copy, with the GIL released. Anything else is
refused, never silently copied: a wrong dtype raises ``TypeError``, a bad value
or layout ``leadkit.InvalidInputError`` (a ``ValueError``), each with a message
that names the argument and says how to fix it:

    >>> try:
    ...     model.predict_proba(X[:, :3])
    ... except leadkit.LeadkitError as e:
    ...     print(e.status_name)
    LK_ERR_DIMENSION_MISMATCH

Every error from the library is a ``leadkit.LeadkitError`` (a ``RuntimeError``)
carrying ``status`` (the C status code, see ``leadkit.STATUS``) and
``status_name``.
"""
from ._core import (  # noqa: F401  (re-exported)
    InvalidInputError,
    LeadkitError,
    STATUS,
    LogisticModel,
    __version__,
    cpu_features,
)
from .schema import Schema  # noqa: F401
from .points import PointsModel  # noqa: F401
from .grader import Grader  # noqa: F401
from .scorecard import Scorecard  # noqa: F401
from .classifier import LeadScoreClassifier  # noqa: F401
from . import datasets  # noqa: F401
from .engagement import EngagementModel, EngagementState, rollup  # noqa: F401
from .personas import PersonaMatcher, PersonaSet, persona_feature_scales  # noqa: F401

# The scikit-learn style estimators (LeadScoreClassifier, PersonaMatcher) use
# scikit-learn when it is installed; `import leadkit` never needs it.

__all__ = ["Schema", "PointsModel", "Grader", "LogisticModel", "Scorecard", "LeadScoreClassifier", "datasets",
           "EngagementModel", "EngagementState", "rollup", "PersonaSet", "PersonaMatcher", "persona_feature_scales",
           "LeadkitError", "InvalidInputError", "STATUS", "build_info",
           "__version__"]


def build_info() -> dict:
    """What this build of leadkit is and which kernel variant runs.

    Returns a dict with ``version`` and the kernel dispatch fields ``active``
    (the variant in use), ``detected`` (the best the CPU supports) and
    ``compiled`` (a list of the variants in this build).
    """
    info = {"version": __version__}
    for pair in cpu_features().split(";"):
        key, _, value = pair.partition("=")
        info[key] = value.split(",") if key == "compiled" else value
    return info
