"""The vault: envelope encryption for content at rest and cleaning of uploaded files.

``crypto`` seals and opens objects (streamed files and small messages),
``keys`` holds the master keys (from the environment or a key file, never the
database) and ``sanitize`` checks uploads and strips their metadata.
"""
