"""Kept for test_widths.py, which another branch is changing: the helpers are in support.pty_run."""

from support.pty_run import NOISE as NOISE
from support.pty_run import clean_env as clean_env
from support.pty_run import run_on_pty as run_on_pty
