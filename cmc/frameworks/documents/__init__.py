"""Readable documents of a framework (PDF, Word, the pyramid as SVG and PNG), and the ones slow
to make rendered ahead of the request (see `renders`)."""

from .facts import Readable, document_of
from .renders import AHEAD, readable
from .writers import READABLE, filename, render

__all__ = ["AHEAD", "READABLE", "Readable", "document_of", "filename", "readable", "render"]
