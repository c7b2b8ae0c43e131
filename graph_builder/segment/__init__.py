"""Segment: find the plan's structure (preamble, chapters, measures, clauses, tables)."""
