"""Errors a command reports in one line (``parley: error: ...``) and exits non-zero on.

Kept out of ``workers/cli.py`` so that the modules behind the commands (demo,
bench, the worker's composition root) raise them without importing the CLI.
"""

from __future__ import annotations


class CliError(Exception):
    """A problem to report in one line, then exit non-zero."""
