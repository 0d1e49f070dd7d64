"""Alerts: change events delivered to chat webhooks, once each, in order per ticker."""
