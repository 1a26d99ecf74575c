"""``python -m kortrade`` and the ``kortrade`` console script."""

from __future__ import annotations


def main() -> None:
    from kortrade.cli import app

    app()


if __name__ == "__main__":
    main()
