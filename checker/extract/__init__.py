"""Extraction: from a document's text to the claims it makes."""
