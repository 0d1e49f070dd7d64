"""``[alerts]``: delivery of change alerts to chat webhooks."""

from __future__ import annotations

from pydantic import BaseModel


class AlertSettings(BaseModel):
    """How alerts are delivered."""
