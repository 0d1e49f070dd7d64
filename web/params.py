"""The bounds of what a request may ask for, and the parameter types that enforce them.

Every id, offset and page number a route reads is an ``Annotated`` type from here, so a
value out of range is refused by validation (422, naming the parameter) before it
reaches the store. The bounds are the stores' own: SQLite's and PostgreSQL's integer
columns hold at most 2^63 - 1, and a larger Python int makes the driver raise
``OverflowError``. Instants are bounded in :func:`web.timefmt.parse_instant`.

Route-specific parameters that need their own description use the constants directly
(``Query(ge=1, le=MAX_ID, description=...)``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from storage.model import MAX_ID

# The largest value a BIGINT (PostgreSQL) or INTEGER (SQLite) column holds.
MAX_OFFSET = MAX_ID
# ``[web] page_size`` is at most 500: page numbers up to this keep every page's offset
# storable.
MAX_PAGE = MAX_OFFSET // 500

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
OffsetQuery = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
PageQuery = Annotated[int, Query(ge=1, le=MAX_PAGE)]
# A count echoed back to the page after an action ("3 deliveries queued").
CountQuery = Annotated[int | None, Query(ge=0, le=MAX_ID)]
