"""Renderers over decisions: text explanations (more reporters live beside it)."""
from .text import closest_allows, render_text

__all__ = ["closest_allows", "render_text"]
