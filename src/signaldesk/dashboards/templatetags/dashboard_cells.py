"""`{% dash_cell cell drill_base %}`: one dashboard number, linked to its drill-down when the
caller may read tickets, with the week-over-week arrow. A tag instead of an include: tables have
hundreds of cells and an include per cell costs more than the queries behind the page."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from signaldesk.dashboards.view_models import Cell, Table

register = template.Library()


@register.simple_tag
def dash_cell(cell: Cell, drill_base: str) -> SafeString:
    if cell.drill is not None and drill_base:
        body = format_html(
            '<a href="{}?{}" data-drill>{}</a>', drill_base, cell.drill.query(), cell.text
        )
    else:
        body = format_html("{}", cell.text)
    if cell.trend is not None and cell.trend.direction:
        return format_html(
            '{} <span class="wow wow-{}" title="week over week">{}</span>',
            body,
            cell.trend.direction,
            cell.trend.arrow,
        )
    return body


@register.simple_tag
def dash_rows(table: Table, drill_base: str) -> SafeString:
    """The <tr> rows of a table body in one call (same markup as one dash_cell per <td>)."""
    return format_html_join(
        "",
        "<tr>{}</tr>",
        (
            (format_html_join("", "<td>{}</td>", ((dash_cell(c, drill_base),) for c in row)),)
            for row in table.rows
        ),
    )
