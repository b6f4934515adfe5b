"""Master keys: from the environment or an owner-only key file; errors never show a key."""

from __future__ import annotations

import base64
import hmac
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from boundaries.vault.crypto import decrypt_bytes, encrypt_bytes
from boundaries.vault.keys import (
    Keyring,
    KeyringError,
    generate_master_key,
    key_id_for,
    keyring_from_settings,
    parse_master_key,
)


def decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_it_generates_random_32_byte_keys_as_base64url() -> None:
    first, second = generate_master_key(), generate_master_key()
    assert len(first) == 43
    assert set(first) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert len(decode(first)) == 32
    assert first != second


def test_it_derives_a_stable_key_id_that_is_not_the_key() -> None:
    key = decode(generate_master_key())
    assert key_id_for(key) == key_id_for(bytes(key))
    assert len(key_id_for(key)) == 8
    assert key_id_for(key) not in key
    assert key_id_for(key) != key_id_for(os.urandom(32))
    # HMAC-SHA256(key, "boundaries key id")[:8] of an all-zero key, computed independently:
    expected = hmac.new(bytes(32), b"boundaries key id", "sha256").hexdigest()[:16]
    assert key_id_for(bytes(32)).hex() == expected


def test_it_loads_the_primary_key_and_old_keys_from_the_environment() -> None:
    primary, old = generate_master_key(), generate_master_key()
    keyring = Keyring.from_env(
        {"BOUNDARIES_MASTER_KEY": primary, "BOUNDARIES_MASTER_KEYS_OLD": f" {old} ,"}
    )
    assert keyring.primary_id == key_id_for(decode(primary))
    assert key_id_for(decode(old)) in keyring
    blob = encrypt_bytes(b"x", keyring=Keyring(decode(old)), object_id="o")
    assert decrypt_bytes(blob, keyring=keyring, object_id="o") == b"x"


def test_it_accepts_a_key_with_base64_padding() -> None:
    key = generate_master_key()
    assert parse_master_key(key + "=", source="test") == decode(key)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("c2hvcnQ", "decodes to 5 bytes"),
        ("A" * 44 + "AAAA", "decodes to 36 bytes"),
        ("not base64 at all!" + "x" * 25, "is not base64url"),
        ("+/" * 21 + "A", "is not base64url"),  # standard base64, not base64url
        ("A" * 41, "not valid base64url"),
        ("   ", "no master key"),
    ],
)
def test_it_names_what_is_wrong_with_a_bad_key_without_printing_it(text: str, message: str) -> None:
    with pytest.raises(KeyringError) as caught:
        Keyring.from_env({"BOUNDARIES_MASTER_KEY": text})
    assert message in str(caught.value)
    assert "BOUNDARIES_MASTER_KEY" in str(caught.value)
    if text.strip():
        assert text.strip() not in str(caught.value)
        assert caught.value.__cause__ is None
        assert caught.value.__context__ is None or caught.value.__suppress_context__


def test_it_never_shows_a_key_in_its_repr() -> None:
    key = generate_master_key()
    keyring = Keyring.from_env({"BOUNDARIES_MASTER_KEY": key})
    assert key not in repr(keyring)
    assert decode(key).hex() not in repr(keyring)
    assert keyring.primary_id.hex() in repr(keyring)


def test_it_requires_a_key_and_refuses_two_sources() -> None:
    with pytest.raises(KeyringError, match="no master key"):
        Keyring.from_env({})
    with pytest.raises(KeyringError, match="not both"):
        Keyring.from_env(
            {"BOUNDARIES_MASTER_KEY": generate_master_key(), "BOUNDARIES_MASTER_KEY_FILE": "/x"}
        )


def write_key_file(path: Path, text: str, mode: int) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


def test_it_reads_an_owner_only_key_file_with_old_keys_after_the_primary(tmp_path: Path) -> None:
    primary, old = generate_master_key(), generate_master_key()
    path = write_key_file(
        tmp_path / "master.key", f"# rotated 2026-11\n{primary}\n\n{old}\n", 0o600
    )
    keyring = Keyring.from_env({"BOUNDARIES_MASTER_KEY_FILE": str(path)})
    assert keyring.primary_id == key_id_for(decode(primary))
    assert keyring.key_ids == (key_id_for(decode(primary)), key_id_for(decode(old)))


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o644, 0o620])
def test_it_refuses_a_key_file_that_group_or_others_can_access(tmp_path: Path, mode: int) -> None:
    key = generate_master_key()
    path = write_key_file(tmp_path / "master.key", key, mode)
    with pytest.raises(KeyringError, match="chmod 600") as caught:
        Keyring.from_env({"BOUNDARIES_MASTER_KEY_FILE": str(path)})
    assert key not in str(caught.value)


def test_it_names_the_line_of_a_bad_key_in_a_key_file(tmp_path: Path) -> None:
    path = write_key_file(
        tmp_path / "master.key", generate_master_key() + "\nc2hvcnQ\n", stat.S_IRUSR
    )
    with pytest.raises(KeyringError, match=r"master\.key line 2 decodes to 5 bytes"):
        Keyring.from_file(path)
    with pytest.raises(KeyringError, match="cannot read"):
        Keyring.from_file(tmp_path / "missing.key")


def test_it_uses_the_configured_key_from_settings(settings: Any) -> None:
    key = generate_master_key()
    settings.MASTER_KEY, settings.MASTER_KEY_FILE = key, ""
    assert keyring_from_settings().primary_id == key_id_for(decode(key))


def test_it_creates_one_owner_only_development_key_when_none_is_configured(
    settings: Any, tmp_path: Path
) -> None:
    settings.MASTER_KEY, settings.MASTER_KEY_FILE = "", ""
    settings.PRODUCTION, settings.DATA_DIR = False, tmp_path
    first = keyring_from_settings()
    assert stat.S_IMODE((tmp_path / "dev-master.key").stat().st_mode) == 0o600
    assert keyring_from_settings().primary_id == first.primary_id
    assert [p.name for p in tmp_path.iterdir()] == ["dev-master.key"]


def test_it_never_invents_a_key_in_production(settings: Any, tmp_path: Path) -> None:
    settings.MASTER_KEY, settings.MASTER_KEY_FILE = "", ""
    settings.PRODUCTION, settings.DATA_DIR = True, tmp_path
    with pytest.raises(KeyringError, match="no master key"):
        keyring_from_settings()
    assert not (tmp_path / "dev-master.key").exists()
