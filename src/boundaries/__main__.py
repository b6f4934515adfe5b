"""``python -m boundaries``: the same as the ``boundaries`` command."""

from boundaries.cli import main

main()
