"""The web UI and JSON API over the stored revision history."""
