"""pcplib: metrics, statistics, SPC and RAG functions for monitoring a Police and Crime Plan.

The library is pure where it can be (``periods``, ``metrics``, ``stats``, ``spc``,
``rag``); I/O lives in ``data`` (loading and validation), ``render`` (notebook
execution and HTML) and ``run`` (the scheduled job).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pcplib")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

MARKING = "OFFICIAL"
"""The Government Security Classification marking every report, index page and PDF carries.

The nbconvert template (``pcplib/templates/pcp``) prints the same word at the top and
bottom of each page and in its print CSS.
"""

__all__ = ["MARKING", "__version__"]
