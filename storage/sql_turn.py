"""A scheduled turn's two transactions in SQL, in Core (they run on every poll).

    claim_turn(writing, ...) -> TurnStart   the claim, and what the turn and an unchanged
                                            poll read: ticker, latest poll, last fresh
                                            body, polls that read no ticker since it
    release(writing, ...)                   the end of the claim, in the poll's own
                                            transaction (which sets next_poll_at too)

An unchanged poll (a 304, the same bytes again) thus costs two transactions: the claim
with its reads, and the poll recorded with the ticker's next time (``SqlStore.record_poll``
plans such a poll inside its write: there is nothing to plan).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import cast

from sqlalchemy import Connection, Table, delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from diffing.model import ChangeKind, PollOutcome
from storage.columns import StorageTable
from storage.errors import TickerNotFound
from storage.mapping import poll_from_row, ticker_from_row
from storage.model import TickerId, TurnStart
from storage.tables import PollRow, TickerRow

_TABLES = StorageTable.metadata.tables
TICKER: Table = _TABLES["ticker"]
POLL: Table = _TABLES["poll"]
CLAIM: Table = _TABLES["poll_claim"]
EVENT: Table = _TABLES["change_event"]

FRESH = PollOutcome.FRESH.value
NOT_A_TICKER = PollOutcome.NOT_A_TICKER.value


def claim(
    connection: Connection, ticker_id: TickerId, *, token: str, now: datetime, until: datetime
) -> bool:
    """Take a free ticker, or one whose claim expired, for ``token`` (one statement: a
    concurrent claim waits for the row, PostgreSQL re-checks the condition, SQLite
    writes one at a time, and then finds it taken). ``TickerNotFound`` for no ticker."""
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    values = insert(CLAIM).values(ticker_id=ticker_id, token=token, until=until)
    statement = values.on_conflict_do_update(
        index_elements=["ticker_id"],
        set_={"token": token, "until": until},
        where=CLAIM.c.until <= now,
    ).returning(CLAIM.c.token)
    try:
        return connection.execute(statement).scalar_one_or_none() == token
    except IntegrityError as error:  # the foreign key: no such ticker
        raise TickerNotFound(f"no ticker {ticker_id}") from error


def claim_turn(
    connection: Connection,
    ticker_id: TickerId,
    *,
    token: str,
    now: datetime,
    until: datetime,
    change_kinds: Collection[ChangeKind] | None,
) -> TurnStart:
    """See :meth:`storage.ports.TurnStore.claim_turn`; in the caller's write transaction."""
    row = connection.execute(select(TICKER).where(TICKER.c.id == ticker_id)).first()
    if row is None:
        raise TickerNotFound(f"no ticker {ticker_id}")
    claimed = claim(connection, ticker_id, token=token, now=now, until=until)
    newest = (POLL.c.started_at.desc(), POLL.c.id.desc())
    of_ticker = POLL.c.ticker_id == ticker_id
    latest_row = connection.execute(
        select(POLL).where(of_ticker).order_by(*newest).limit(1)
    ).first()
    # A Core row carries the columns the ORM mappers read, by the same names.
    latest = poll_from_row(cast(PollRow, latest_row)) if latest_row is not None else None
    if latest is None or latest.outcome is PollOutcome.FRESH:
        fresh = (latest.body_sha256, latest.started_at) if latest is not None else None
        broken = 0
    else:
        # The last fresh page and the polls that read no ticker since it, in one query.
        since = POLL.alias("since")
        count = (
            select(func.count())
            .where(
                since.c.ticker_id == ticker_id,
                since.c.outcome == NOT_A_TICKER,
                since.c.started_at > POLL.c.started_at,
            )
            .scalar_subquery()
        )
        found = connection.execute(
            select(POLL.c.body_sha256, POLL.c.started_at, count)
            .where(of_ticker, POLL.c.outcome == FRESH)
            .order_by(*newest)
            .limit(1)
        ).first()
        if found is not None:
            fresh, broken = (found[0], found[1]), found[2]
        else:  # never read yet: every poll that read no ticker counts
            fresh = None
            broken = connection.execute(
                select(func.count()).where(of_ticker, POLL.c.outcome == NOT_A_TICKER)
            ).scalar_one()
    last_change_at = None
    if change_kinds is not None:
        last_change_at = connection.execute(
            select(func.max(EVENT.c.observed_at)).where(
                EVENT.c.ticker_id == ticker_id,
                EVENT.c.kind.in_(sorted(kind.value for kind in change_kinds)),
            )
        ).scalar_one()
    return TurnStart(
        ticker=ticker_from_row(cast(TickerRow, row)),
        claimed=claimed,
        latest=latest,
        last_body_sha256=fresh[0] if fresh is not None else None,
        broken_polls=broken,
        changes_read=change_kinds is not None,
        last_change_at=last_change_at,
    )


def release(connection: Connection, ticker_id: TickerId, token: str | None) -> None:
    """End the claim ``token`` holds (None: none), in the caller's write transaction
    (the poll's own, which also sets ``next_poll_at``)."""
    if token is not None:
        connection.execute(
            delete(CLAIM).where(CLAIM.c.ticker_id == ticker_id, CLAIM.c.token == token)
        )
