"""Backups: one encrypted, compressed snapshot file of the database and the vault files.

``snapshot`` takes and restores snapshots; ``manifest`` and ``retention`` are
pure (plain data in, plain data out) so the checks a restore makes and the
rule that decides which scheduled backups to keep are tested without a
database. The layout of a snapshot file is described in ``snapshot``.
"""
