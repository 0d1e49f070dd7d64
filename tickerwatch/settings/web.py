"""``[web]``: the web UI and JSON API."""

from __future__ import annotations

from pydantic import BaseModel


class WebSettings(BaseModel):
    """Where and how the web UI is served."""
