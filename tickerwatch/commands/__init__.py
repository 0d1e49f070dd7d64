"""The ``tickerwatch`` subcommands, one module per group.

Each module has ``register(commands)``, which adds its subparsers and sets
``handler(args, settings) -> exit code`` on each. Handlers parse and print; the
work is done by the packages, wired in :mod:`tickerwatch.bootstrap`.
"""
