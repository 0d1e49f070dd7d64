"""The ``tickerwatch`` subcommands, one module per group.

Each module has ``register(commands)``, which adds its subparsers and sets
``handler(args, settings) -> exit code`` on each. Handlers parse and print; the
work is done by the packages, wired in :mod:`tickerwatch.bootstrap`.

Every command imports every module here to build its parser, so a module's top
imports only what registering and the light values need (``argparse``, ``values``,
model types); a handler imports the services, stores and libraries it runs, and
``Settings`` is imported for type checking only. tests/pipeline/test_cli_imports.py
fails when ``--help`` loads a database, web, parser or HTTP library.
"""
