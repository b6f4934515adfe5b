"""Project Wycheproof's AES-GCM vectors against the AES-GCM calls the vault makes.

Vectors with 256-bit keys and 96-bit IVs are exactly what the vault uses: they
go through ``encrypt_into``/``decrypt_into`` as in ``boundaries.vault.crypto``.
Every other vector goes through ``AESGCM`` directly where pyca/cryptography
accepts its IV size (8 to 128 bytes); the rest must be refused, never accepted.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

DATA = Path(__file__).parent / "data" / "wycheproof_aes_gcm_test.json"
# The file as fetched from C2SP/wycheproof (see data/README.md); a changed byte fails here.
SHA256 = "b2a7ffc46f945519d4f0ef3d461004a2ef0e4530b0fb4ab261f8d1902ffbbd69"
SUPPORTED_IV_BYTES = range(8, 129)


def load() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return document


def vectors() -> list[Any]:
    return [
        pytest.param(group, test, id=f"tc{test['tcId']}-k{group['keySize']}-iv{group['ivSize']}")
        for group in load()["testGroups"]
        for test in group["tests"]
    ]


def test_it_has_the_complete_unaltered_vector_file() -> None:
    assert hashlib.sha256(DATA.read_bytes()).hexdigest() == SHA256
    document = load()
    ids = [test["tcId"] for group in document["testGroups"] for test in group["tests"]]
    assert ids == list(range(1, document["numberOfTests"] + 1))
    assert document["numberOfTests"] == 316


def fields(test: dict[str, str]) -> tuple[bytes, bytes, bytes, bytes, bytes, bytes]:
    key, iv, aad, msg, ct, tag = (bytes.fromhex(test[name]) for name in
                                  ("key", "iv", "aad", "msg", "ct", "tag"))  # fmt: skip
    return key, iv, aad, msg, ct, tag


@pytest.mark.parametrize(("group", "test"), vectors())
def test_it_agrees_with_wycheproof(group: dict[str, Any], test: dict[str, Any]) -> None:
    key, iv, aad, msg, ct, tag = fields(test)
    valid = test["result"] == "valid"
    aead = AESGCM(key)
    if len(iv) not in SUPPORTED_IV_BYTES:
        # cryptography refuses these IV sizes outright: a refusal, never a wrong answer.
        with pytest.raises(ValueError, match="Nonce must be between 8 and 128 bytes"):
            aead.decrypt(iv, ct + tag, aad)
        return
    if group["keySize"] == 256 and group["ivSize"] == 96:
        # The vault's own parameters, through the very calls the vault makes.
        sealed = bytearray(len(msg) + 16)
        aead.encrypt_into(iv, msg, aad, sealed)
        assert (bytes(sealed) == ct + tag) is valid
        opened = bytearray(len(ct))
        if valid:
            aead.decrypt_into(iv, ct + tag, aad, opened)
            assert bytes(opened) == msg
        else:
            with pytest.raises(InvalidTag):
                aead.decrypt_into(iv, ct + tag, aad, opened)
        return
    if valid:
        assert aead.encrypt(iv, msg, aad) == ct + tag
        assert aead.decrypt(iv, ct + tag, aad) == msg
    else:
        with pytest.raises(InvalidTag):
            aead.decrypt(iv, ct + tag, aad)


def test_it_runs_every_vector_with_the_vaults_parameters() -> None:
    ours = [
        test
        for group in load()["testGroups"]
        if group["keySize"] == 256 and group["ivSize"] == 96
        for test in group["tests"]
    ]
    assert len(ours) >= 60
    assert {test["result"] for test in ours} == {"valid", "invalid"}
