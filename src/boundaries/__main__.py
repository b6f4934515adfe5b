"""``python -m boundaries``: the same as the ``boundaries`` command."""

from boundaries.cli.main import main

main()
