"""Error kinds raised on more than one floor, kept in the core so every floor can raise them.

Errors of one floor stay with it: :class:`pcplib.data.problems.DataValidationError`
(a data set that fails validation) and :class:`pcplib.run.errors.RunError` (a run that
cannot start, with its exit code). ``docs/error-handling.md`` lists every kind.
"""

from __future__ import annotations

__all__ = ["ParameterError"]


class ParameterError(ValueError):
    """A report's parameter is wrong: the message is one line naming it and what was expected.

    Raised before any work by :func:`pcplib.assessment.scope.check_parameters` and
    :func:`pcplib.notebook.check_injected_parameters`. In a notebook it shows as that
    one line, not as a traceback through the library (IPython shows what
    ``_render_traceback_`` returns).
    """

    def _render_traceback_(self) -> list[str]:
        """Return the lines a notebook shows for this error: its name and message.

        Returns
        -------
        list of str
            One line.
        """
        return [f"{type(self).__name__}: {self}"]
