"""``python -m tickerwatch.settings``: print docs/settings.md."""

from tickerwatch.settings import Settings
from tickerwatch.settings.reference import render

print(render(Settings), end="")
