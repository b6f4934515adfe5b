"""The door of the ``boundaries`` command: Django is set up here, once, then the commands load.

The command modules import models at their top, so Django must be ready before
``boundaries.cli.app`` is imported. ``python -m boundaries`` comes in the same
way. A setting that cannot be used (``ImproperlyConfigured``, an unwritable data
folder) is one line on stderr and exit code 2, like any other bad input.
"""

from __future__ import annotations

import os
import sys

import django
from django.core.exceptions import ImproperlyConfigured

from boundaries.cli.output import EXIT_BAD_INPUT, error_line

__all__ = ["main", "setup_django"]


def setup_django() -> None:
    """Configure Django from the environment, or end the process with one line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boundaries.settings")
    try:
        django.setup()
    except ImproperlyConfigured as error:
        error_line(f"configuration: {error}")
        sys.exit(EXIT_BAD_INPUT)
    except OSError as error:
        error_line(f"configuration: {error.filename or 'a file'}: {error.strerror or error}")
        sys.exit(EXIT_BAD_INPUT)


def main() -> None:
    setup_django()
    from boundaries.cli.app import app  # start-up order: command modules import models

    app()
