"""The one place the version is written; the wheel takes it from here."""

__version__ = "3.0.0"
