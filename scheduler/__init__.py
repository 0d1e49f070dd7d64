"""When tickers are polled: the cadence rule and the engines that run polls on time.

Modules, one concept each:

- ``cadence``: the pure rule (adaptive interval, circuit breaker, Retry-After, jitter,
  the spread of first polls after a start);
- ``runner``: :class:`~scheduler.runner.PollRunner`, one turn of one ticker, shared by
  both engines;
- ``ports``: the :class:`~scheduler.ports.PollService` port and the engines' settings;
- ``local``: one process, APScheduler 3.11; ``cluster``: N workers on one PostgreSQL,
  procrastinate;
- ``status``: what ``tickerwatch status`` shows, from stored facts.

The ticker table (``next_poll_at``) is the schedule; engines only decide when a turn runs.
docs/architecture.md ("Scheduling and scale-out") explains the design.
"""
