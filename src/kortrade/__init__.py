"""kortrade: offline fact lookup on China-Republic of Korea economic and trade ties.

The library works without the CLI::

    from kortrade import load_dataset, FactStore
    store = FactStore(load_dataset())
    store.get("trade-volume-2024").statement
"""

from kortrade.errors import DataError, ExitCode, KortradeError, NotFoundError, Problem, UsageError
from kortrade.load import default_data_path, load_dataset
from kortrade.model import Dataset, Fact, Source
from kortrade.store import FactQuery, FactStore

__version__ = "1.0.0"

__all__ = [
    "DataError",
    "Dataset",
    "ExitCode",
    "Fact",
    "FactQuery",
    "FactStore",
    "KortradeError",
    "NotFoundError",
    "Problem",
    "Source",
    "UsageError",
    "__version__",
    "default_data_path",
    "load_dataset",
]
