"""Report charts as SVG, drawn by pygal, shown as images beside the table that holds their numbers.

The page's Content-Security-Policy forbids inline style (``style-src 'self'``)
and pygal styles its SVG with a ``<style>`` element. So a chart is not put in
the page's markup: it is an ``<img>`` whose source is the SVG itself (a
``data:`` URL, allowed by ``img-src 'self' data:``). An image is a document
of its own: its styles apply inside it only, and its scripts never run (the
configuration script pygal writes is removed all the same).

A chart is never the only place a figure is given: the table beside it
holds the same numbers, and the image's text alternative names the chart
and says so. A withheld figure (``None``) draws no bar; the table says
"withheld to protect small groups" in its place.
"""

from __future__ import annotations

import base64
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import pygal
from pygal.style import Style

__all__ = ["Chart", "bar_chart"]

# pygal puts an import hook for its map plugins on sys.meta_path, of the old kind (find_module, no
# find_spec): every import after it warns (ImportWarning; an error under the tests' warning filter),
# and Python 3.12 no longer calls such hooks. Brug draws no maps, so the hook is taken out again.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

#: the brand's blue and its darker and lighter kin, then a warm colour for a second series.
_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1b1f",
    foreground_strong="#1b1b1f",
    foreground_subtle="#4a4f57",
    opacity="1",
    opacity_hover="1",
    colors=("#1f5f8b", "#a35a00", "#1d6b3a", "#6b3fa0"),
    font_family="system-ui, 'Noto Sans', 'DejaVu Sans', sans-serif",
    title_font_size=20,
    label_font_size=15,
    major_label_font_size=15,
    value_font_size=15,
    value_colors=("#ffffff",) * 4,  # the number printed on its bar, white on the dark colours above
    legend_font_size=15,
    tooltip_font_size=14,
)
#: drawn this wide and scaled to fit: on a phone the labels stay readable.
WIDTH = 520
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Chart:
    """A chart ready for an ``<img>``: its ``src`` (an SVG ``data:`` URL) and its text alternative."""

    src: str
    alt: str
    svg: str
    #: the drawing's size in CSS pixels (the page scales it down to fit, keeping the ratio).
    width: int
    height: int


def bar_chart(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | float | None]]],
    *,
    horizontal: bool = True,
) -> Chart | None:
    """A bar chart of ``series`` (name, one value per label; None draws no bar), titled and described
    inside the SVG (``<title>``, ``<desc>``) and in the image's alternative text; None when every
    value is withheld (an empty chart says nothing the table does not)."""
    if all(value is None for _name, values in series for value in values):
        return None
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    rows = max(len(labels), 1) * max(len(series), 1)
    width, height = WIDTH, max(200, 80 + rows * 30) if horizontal else 320
    chart = kind(
        style=_STYLE,
        js=[],
        disable_xml_declaration=True,
        explicit_size=True,
        width=width,
        height=height,
        print_values=True,
        print_zeroes=True,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        show_y_guides=not horizontal,
        show_x_guides=horizontal,
        truncate_label=28,
        min_scale=1,
        include_x_axis=True,
        no_prefix=True,
        margin=12,
    )
    chart.title = title
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    svg = _accessible(chart.render(is_unicode=True), title, description)
    encoded = base64.b64encode(svg.encode()).decode()
    return Chart(f"data:image/svg+xml;base64,{encoded}", f"{title}. {description}", svg, width, height)


def _accessible(svg: str, title: str, description: str) -> str:
    """The SVG without scripts or comments, with a ``<title>`` and ``<desc>`` it is labelled by."""
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    opening = svg.index(">", svg.index("<svg")) + 1
    root = svg[:opening].replace("<svg ", '<svg role="img" aria-labelledby="chart-title chart-desc" ', 1)
    labels = f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(description)}</desc>'
    return root + labels + svg[opening:]
