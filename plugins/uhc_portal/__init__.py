"""Pantau UHC's Pelican plugin. Importing the package imports nothing else, so that the chart
worker processes (`render.start_worker`) load only what rendering needs, not Pelican or Altair."""


def register() -> None:
    from .plugin import register as connect

    connect()


__all__ = ["register"]
