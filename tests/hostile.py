"""Kept for test_mcp.py, which another branch is changing: the helpers are in support.hostile."""

from support.hostile import peak_mib as peak_mib
from support.hostile import popen_measured as popen_measured
from support.hostile import run_bounded as run_bounded
