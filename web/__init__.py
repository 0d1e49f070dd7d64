"""The web UI and JSON API over the stored revision history.

    archive = SqlArchive(create_engine_for(url))         # storage's archive port
    app = create_app(store, config, archive=archive)      # config: a web.config.WebConfig
    await serve(app, host=config.host, port=8080, stop=stop)

Modules, one concept each:

- ``app``: :func:`create_app`, the factory; ``api_models`` and ``api_alerts``: the API's
  documents; ``server``: :func:`serve` in a running loop;
  ``context``: what routes share and the admin dependency; ``routes/``: the routes,
  one module per concept, HTML pages and ``/api`` side by side.
- ``config``: the frozen :class:`~web.config.WebConfig` the composition root builds;
  ``metrics``: the port ``/metrics`` reads the service's metrics through.
- what it reads besides the stores: :class:`storage.archive.Archive` (full-text search,
  activity counts, captures), whose query syntax is :mod:`storage.search_query`.
- pure: ``diffview``, ``entryview`` and ``timeline``
  (what pages show), ``alertview`` (what the alert pages show), ``memento`` (RFC 7089),
  ``atom``, ``exports``, ``timefmt``,
  ``auth`` (token, sessions, CSRF), ``forms``, ``rawpage``;
  at the edges: ``warc`` (warcio), ``sanitize`` (nh3), ``headers`` (CSP).
"""

from web.app import create_app
from web.server import bind, serve

__all__ = ["bind", "create_app", "serve"]
