"""The ``boundaries`` command, one module per command group.

``main`` is the door: it sets Django up once, then imports ``app``, which mounts
the groups (``policy``, ``practice``, ``client``, ``agreement``, ``triage``,
``guard``, ``audit``, ``backup``, ``platform-audit``, ...). Shared pieces: ``output``
(consoles, one-line errors, exit codes) and ``inputs`` (files, the practice, the
client). ``triage``, ``guard``, ``audit_check`` and ``output`` need no Django.
"""
