"""Old path of :mod:`pcplib.report.charts`, kept for notebooks and scripts that import it."""

from pcplib.labels import UNIT_LABELS, format_value
from pcplib.report.charts import (
    CHART_DPI,
    POINT_COLOURS,
    describe_chart,
    figure_to_html,
    plot_spc,
    write_png,
)

__all__ = [
    "CHART_DPI",
    "POINT_COLOURS",
    "UNIT_LABELS",
    "describe_chart",
    "figure_to_html",
    "format_value",
    "plot_spc",
    "write_png",
]
