"""What the alert stores and senders raise.

::

    AlertError                      any refusal of the alerts package
     ├── InvalidSubscription        a sink or a rule that cannot work (bad URL, bad regex, ...)
     │    └── NotPlatformUrl        a hosted platform's sink at a URL not of its form
     ├── SubscriptionNotFound       no sink with that id
     ├── DeliveryNotFound           no delivery with that id
     └── SinkUnavailable            this process cannot send to that kind of sink
                                    (an Apprise sink without the ``apprise`` package)

A store method that raises has written nothing. Failed sends are not exceptions: they
come back as responses and become a delivery's next attempt, dead letter or disabled sink.
"""

from __future__ import annotations


class AlertError(Exception):
    """Base of the alerts package's errors; the message says what is wrong, in words."""


class InvalidSubscription(AlertError, ValueError):
    """A sink or a rule that cannot work."""


class NotPlatformUrl(InvalidSubscription):
    """A Slack, Discord, Teams or Google Chat sink whose URL is not of the platform's
    form (:mod:`alerts.platforms`); allowed when the user says so (``--any-host``)."""


class SubscriptionNotFound(AlertError, LookupError):
    """No sink with that id."""


class DeliveryNotFound(AlertError, LookupError):
    """No delivery with that id."""


class SinkUnavailable(AlertError):
    """This process cannot send to that kind of sink."""
