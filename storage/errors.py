"""The storage layer's errors. Every adapter raises exactly these, for the same causes::

    StorageError
     ├── NotFound (also LookupError)      no such row
     │    ├── TickerNotFound              ticker id unknown
     │    ├── EntryNotFound               entry id unknown
     │    ├── BodyNotFound                no raw body with that SHA-256
     │    └── DeskNotFound                desk id or name unknown (storage.desks)
     ├── DuplicateTicker                  a ticker with this URL is already watched
     ├── DuplicateDesk                    another desk has this name (storage.desks)
     ├── InvalidValue (also ValueError)   refused before anything is written: text with NUL
     │                                    or a lone surrogate, a naive or unstorable
     │                                    datetime, a record that contradicts its diff
     ├── CorruptBody                      a stored body no longer matches its SHA-256
     └── UnusableDatabase                 the database cannot be opened as it is: a SQLite
                                          file whose folder is missing, or that fails
                                          ``PRAGMA quick_check``

Database trouble (connection lost, disk full, locked file) is not wrapped: SQLAlchemy's
own exceptions propagate, after the transaction was rolled back, so nothing of the
failed write is visible.
"""

from __future__ import annotations


class StorageError(Exception):
    """Base of everything the storage layer raises on purpose."""


class NotFound(StorageError, LookupError):
    """The row asked for does not exist."""


class TickerNotFound(NotFound):
    pass


class EntryNotFound(NotFound):
    pass


class BodyNotFound(NotFound):
    pass


class DuplicateTicker(StorageError):
    """``TickerRepository.add`` with a URL another ticker already has."""


class InvalidValue(StorageError, ValueError):
    """A value the store refuses to write; nothing of the call was written."""


class CorruptBody(StorageError):
    """A stored raw body decompressed to bytes whose SHA-256 is not its key."""


class UnusableDatabase(StorageError):
    """The database cannot be opened as it is; the message says why, in one line."""
