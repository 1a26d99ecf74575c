"""kortrade: offline fact lookup on China-Republic of Korea economic and trade ties.

The library works without the CLI::

    from kortrade import FactStore
    store = FactStore.open()  # the shipped facts, or a path
    store.get("trade-volume-2024")["statement"]
    [hit.record["id"] for hit in store.search("battery OR 삼성")]
"""

from kortrade.errors import DataError, ExitCode, KortradeError, NotFoundError, Problem, UsageError
from kortrade.load import default_data_path, load_dataset
from kortrade.model import Dataset, Fact, Source
from kortrade.store import FactQuery, FactStore, Hit
from kortrade.version import __version__

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
