"""What the tests share apart from fixtures: paths, output contracts, small facts files, ways to run kortrade.

Fixtures and hooks stay in tests/conftest.py; tests import helpers from here (``from support.paths
import CLASSIC``), which pytest finds because tests/, having no ``__init__.py``, is put on sys.path.
"""
