"""Alerts: change events delivered to chat webhooks, once each, in order per ticker.

Modules, one concept each:

- ``alert``: the values delivery passes between its parts (:class:`~alerts.alert.Alert`,
  :class:`~alerts.alert.Message`, :class:`~alerts.alert.Payload`, the sink kinds);
  ``formatting``: one pure formatter per platform (``render``, ``verify_webhook``).
- ``model``: sinks (:class:`~alerts.model.Subscription` with its
  :class:`~alerts.model.Rules`), deliveries, claims and decisions; ``errors``: what is
  raised (the tree is drawn there).
- pure decisions: ``rules`` (which changes a sink gets), ``digest`` (bursts as one
  message), ``ratelimit`` (platform pace, Retry-After, backoff), ``policy`` (what an
  answer means for a delivery), ``lanes`` (what may be claimed), ``secrets`` (URLs and
  secrets masked), ``views`` (how sinks and deliveries are shown), ``sample`` (the test
  message).
- the port and its adapters: ``ports`` (:class:`~alerts.ports.AlertStore`), ``memory``,
  ``sql`` with ``sql_queue`` (the hot path), ``sql_mapping`` and ``tables`` (migration
  ``0005_alerts``).
- the shell: ``reach`` (whether a sink's address passes the fetcher's outbound-address
  policy), ``dispatch`` (storage outbox → delivery queue), ``sender`` (httpx; Apprise
  when installed), ``delivery`` (the worker loop).

Wiring lives in :mod:`tickerwatch.alerting` (the service) and
:mod:`tickerwatch.commands.alerts` (the ``tickerwatch alerts`` commands).
"""
