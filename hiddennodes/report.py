"""Temporary re-exports for stages not yet moved; to be deleted."""

from hiddennodes.report_page import Figure, Table, Section, realworld_table, customers_table, strongest_table, table_html, comparison_html, STYLE, render_html  # noqa: F401
from hiddennodes.report_words import model_findings, paired_findings, overlap_finding, node_findings, embedding_finding, error_finding, realworld_findings, customers_findings  # noqa: F401
