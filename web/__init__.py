"""The web UI and JSON API over the stored revision history.

    archive = SqlArchive(create_engine_for(url))
    app = create_app(store, config, archive=archive)      # config: a web.config.WebConfig
    await serve(app, host=config.host, port=8080, stop=stop)

Modules, one concept each:

- ``app``: :func:`create_app`, the factory; ``api_models`` and ``api_alerts``: the API's
  documents; ``server``: :func:`serve` in a running loop;
  ``context``: what routes share and the admin dependency; ``routes/``: the routes,
  one module per concept, HTML pages and ``/api`` side by side.
- ``archive``: the port for what the storage ports do not answer (full-text search,
  activity counts, captures); adapters ``archive_sql`` (SQLite FTS5, PostgreSQL full
  text) and ``archive_scan`` (any store, read through its port).
- pure: ``search_query`` (query syntax), ``diffview``, ``entryview`` and ``timeline``
  (what pages show), ``alertview`` (what the alert pages show), ``memento`` (RFC 7089),
  ``atom``, ``exports``, ``timefmt``,
  ``auth`` (token, sessions, CSRF), ``forms``, ``rawpage``;
  at the edges: ``warc`` (warcio), ``sanitize`` (nh3), ``headers`` (CSP).
"""

from web.app import create_app
from web.archive import Archive
from web.archive_scan import ScanArchive
from web.archive_sql import SqlArchive
from web.server import bind, serve

__all__ = ["Archive", "ScanArchive", "SqlArchive", "bind", "create_app", "serve"]
