"""Plain `pytest` in the kit: pytest reads this file first and puts this folder on sys.path,
so that it finds checklib, whose plugin gives each check your module (the `hw` fixture)."""

pytest_plugins = ["checklib.pytest_plugin"]
