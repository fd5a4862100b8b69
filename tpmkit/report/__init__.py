"""The HTML status report: RAG rules, the report's data, HTML pieces, notebook → one HTML file.

A PM's weekly job is "plan + progress in, status report out". The package has four layers:

- :mod:`tpmkit.report.rag` — the RAG (red / amber / green) rules and the executive summary;
- :mod:`tpmkit.report.data` — :func:`build_report_data` computes everything the report
  shows into a :class:`ReportData` (unit-tested);
- :mod:`tpmkit.report.format` — HTML pieces (:func:`html_table`, :func:`kpi_cards`,
  :func:`rag_badge`) that the report template styles;
- :mod:`tpmkit.report.export` — :func:`render` executes the report notebook, which only
  displays a ``ReportData``, and writes one self-contained offline HTML file.
"""

from tpmkit.datasets import read_source
from tpmkit.report.data import ReportData, build_report_data, file_sha256
from tpmkit.report.export import (
    METADATA_MIME,
    ReportResult,
    chart_problems,
    notebook_path,
    offline_problems,
    render,
    template_dir,
)
from tpmkit.report.format import DATE_FORMAT, day, html_table, kpi_cards, money, rag_badge, signed
from tpmkit.report.rag import (
    RAG_ORDER,
    RAG_THRESHOLDS,
    ExecutiveSummary,
    executive_summary,
    index_rag,
    overall_rag,
    schedule_rag,
)

__all__ = [
    "DATE_FORMAT",
    "METADATA_MIME",
    "RAG_ORDER",
    "RAG_THRESHOLDS",
    "ExecutiveSummary",
    "ReportData",
    "ReportResult",
    "build_report_data",
    "chart_problems",
    "day",
    "executive_summary",
    "file_sha256",
    "html_table",
    "index_rag",
    "kpi_cards",
    "money",
    "notebook_path",
    "offline_problems",
    "overall_rag",
    "rag_badge",
    "read_source",
    "render",
    "schedule_rag",
    "signed",
    "template_dir",
]
