"""Alembic migrations of the storage schema, shipped in the package.

Run them with :func:`storage.engine.upgrade`; a new revision is written with
``alembic -c <ini with script_location = storage:migrations> revision --autogenerate``
and then read and tidied by hand (plain ``sqlalchemy`` types, named indexes).
"""
