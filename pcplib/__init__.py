"""pcplib: metrics, statistics, SPC and RAG functions for monitoring a Police and Crime Plan.

Five floors, lowest first; a module imports its own floor and those below, never one
above (``tests/test_architecture.py`` checks it, counting ``TYPE_CHECKING`` imports):

- the core, pure functions with no I/O and no HTML: ``periods`` (financial years,
  quarters, month arithmetic), ``metrics``, ``stats``, ``spc``, ``funnel``, ``rag``,
  ``labels``;
- ``data``: reading, validating and generating the data set, the forward plan, sources;
- ``assessment``: every judgement a reader is told, as tidy frames;
- ``report``: formatting those frames as HTML, charts and words (``report`` is the
  package the notebooks call);
- ``run`` and ``cli``: ``pcp``, executing the notebooks, publishing, console output.

``docs/architecture.md`` says where each thing lives.
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
