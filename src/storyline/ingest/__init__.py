"""Ingestion: files, folders, JSONL and URLs to Document records (or Skips with a reason)."""

from .boilerplate import strip_boilerplate
from .files import document_from_text, iter_documents, parse_published
from .url import FetchRefused, fetch

__all__ = ["FetchRefused", "document_from_text", "fetch", "iter_documents", "parse_published", "strip_boilerplate"]
