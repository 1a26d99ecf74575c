"""kortrade: offline fact lookup on China-Republic of Korea economic and trade ties.

The library works without the CLI::

    from kortrade import FactStore
    store = FactStore.open()  # the shipped facts, or a path
    store.get("trade-volume-2024")["statement"]
    [hit.record["id"] for hit in store.search("battery OR 삼성")]
"""

from typing import TYPE_CHECKING

from kortrade.version import __version__

if TYPE_CHECKING:
    from kortrade.errors import DataError, ExitCode, KortradeError, NotFoundError, Problem, UsageError
    from kortrade.load import default_data_path, load_dataset
    from kortrade.model import Dataset, Fact, Source
    from kortrade.store import FactQuery, FactStore, Hit

# Loaded on first use, so the command line starts without the modules it does not need.
_LAZY = {
    "DataError": "errors",
    "ExitCode": "errors",
    "KortradeError": "errors",
    "NotFoundError": "errors",
    "Problem": "errors",
    "UsageError": "errors",
    "default_data_path": "load",
    "load_dataset": "load",
    "Dataset": "model",
    "Fact": "model",
    "Source": "model",
    "FactQuery": "store",
    "FactStore": "store",
    "Hit": "store",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kortrade' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"kortrade.{module}"), name)


__all__ = [
    "DataError",
    "Dataset",
    "ExitCode",
    "Fact",
    "FactQuery",
    "FactStore",
    "Hit",
    "KortradeError",
    "NotFoundError",
    "Problem",
    "Source",
    "UsageError",
    "__version__",
    "default_data_path",
    "load_dataset",
]
