"""The one place the version is written; the wheel takes it from here."""

__version__ = "2.0.0"
