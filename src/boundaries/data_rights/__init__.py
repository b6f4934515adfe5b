"""Data rights: exporting, erasing and deleting a client's or a practice's data.

This package sits above the other apps: it reads and removes what practices,
inbox, portal, vault and welfare hold, so it imports them, and none of them
imports it. Only the entry points (the CLI, the dashboard) call it.
"""
