"""leadkit: fast B2B lead scoring and buyer-persona matching.

    >>> import numpy as np, leadkit
    >>> model = leadkit.LogisticModel(np.array([1.6, 1.2, 1.5, 1.1], np.float32), intercept=-3.0)
    >>> X = np.array([[1.0, 0.9, 0.8, 2.0]], dtype=np.float32)
    >>> model.predict_proba(X).round(3)
    array([0.956], dtype=float32)

Feature matrices are float32 arrays of shape (n_leads, n_features) whose rows
are contiguous; they are scored in place, without a copy, with the GIL
released. Bad input raises ``leadkit.InvalidInputError`` (a ``ValueError``)
or ``TypeError`` with a message that names the argument.
"""
from ._core import (  # noqa: F401  (re-exported)
    InvalidInputError,
    LeadkitError,
    LogisticModel,
    __version__,
    cpu_features,
)
from .schema import Schema  # noqa: F401

__all__ = ["Schema", "LogisticModel", "LeadkitError", "InvalidInputError", "build_info", "__version__"]


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
