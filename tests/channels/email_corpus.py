# ruff: noqa: E501 - raw mail is kept in whole lines so it reads like the real thing
"""Real-world emails, real-world-shaped ones and a mutator, for the parser and the receiver.

Shared by the test suite (a CI-sized run) and ``scripts/fuzz_email.py`` (the
long run). The seeds imitate what clients' mail programs really send:
multipart/alternative from phones and webmail, attachments, forwarded mail,
encoded-word subjects, quoted-printable, Latin-1 bodies, bounces.

``real_world()`` reads the public parser test corpora in ``mail_corpus/`` (each
folder's README names its source and licence): mail that real programs sent.
``same_message()`` says which of them are one message, as the inbox must
(same Message-ID, sender, subject and body; trace headers may differ), written
out here with the standard library alone so that it checks the receiver rather
than repeats it.
"""

from __future__ import annotations

import email
import email.parser
import email.policy
import email.utils
import random
import re
from pathlib import Path

CORPUS = Path(__file__).with_name("mail_corpus")
_NOT_MAIL = {"LICENSE", "README.md"}

SEEDS: list[bytes] = [
    (
        b"From: Rowan Ashby <rowan@example.org>\r\nTo: inbox@alder.example\r\nSubject: Tuesday\r\n"
        b"Message-ID: <a1@example.org>\r\nDate: Tue, 24 Nov 2026 09:12:01 +0000\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Hi, can we move Tuesday to 4pm? Thanks, R\r\n"
    ),
    (
        b"From: =?UTF-8?B?Wm/DqyBN?= <zoe@example.org>\r\nTo: inbox@alder.example\r\n"
        b"Subject: =?UTF-8?Q?Caf=C3=A9_chat?=\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/alternative; boundary="000000000000b1"\r\n\r\n'
        b"--000000000000b1\r\nContent-Type: text/plain; charset=UTF-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\nI=E2=80=99ve been feeling low this week.\r\n"
        b"--000000000000b1\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n"
        b"<div>I&#39;ve been feeling low this week.</div>\r\n--000000000000b1--\r\n"
    ),
    (
        b"From: dev@example.org\r\nTo: inbox@alder.example\r\nSubject: Fwd: notes\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="mix"\r\n\r\n'
        b"--mix\r\nContent-Type: text/plain\r\n\r\nSee attached, from our last session\r\n"
        b'--mix\r\nContent-Type: application/pdf; name="notes.pdf"\r\n'
        b'Content-Disposition: attachment; filename="notes.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcfs\r\n"
        b"--mix\r\nContent-Type: message/rfc822\r\n\r\nFrom: other@example.org\r\nSubject: inner\r\n\r\n"
        b"inner text\r\n--mix--\r\n"
    ),
    (
        b"From: MAILER-DAEMON@mx.example.net\r\nTo: inbox@alder.example\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="rep"\r\n\r\n'
        b"--rep\r\nContent-Type: text/plain\r\n\r\nThis is the mail system.\r\n"
        b"--rep\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n"
        b"--rep--\r\n"
    ),
    (
        b"From: sam@example.org\r\nTo: inbox@alder.example\r\nSubject: =?iso-8859-1?q?r=E9sum=E9?=\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        b"Tr\xe8s difficile cette semaine.\r\n"
    ),
    (
        b"From: kit@example.org\r\nTo: inbox@alder.example\r\nSubject: photo\r\n"
        b'Content-Type: multipart/mixed; boundary="p"\r\n\r\n--p\r\nContent-Type: image/jpeg\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgH\r\n--p--\r\n"
    ),
    (
        b"From: list@news.example\r\nTo: inbox@alder.example\r\nList-Id: <news.example>\r\n"
        b"Precedence: bulk\r\nSubject: Newsletter\r\n\r\nOur autumn offers...\r\n"
    ),
    (
        b"From: amara@example.org\r\nTo: inbox@alder.example\r\nSubject: Re: Re: session\r\n"
        b"In-Reply-To: <x1@alder.example>\r\nReferences: <x0@alder.example> <x1@alder.example>\r\n\r\n"
        b"Thanks.\r\n\r\nOn Mon, Sam wrote:\r\n> If you are in danger call 999\r\n> Samaritans 116 123\r\n"
    ),
]

_HEADER_NOISE = [
    b"Subject: =?utf-8?B?###?=\r\n",
    b"X-Broken\r\n",
    b"Content-Type: multipart/mixed\r\n",
    b'Content-Type: text/plain; charset="no-such"\r\n',
    b"Content-Transfer-Encoding: base64\r\n",
    b"From: <<<@@>>>\r\n",
    b"Date: Thu, 99 Foo 20xx 25:61:61 +9999\r\n",
    b"To: " + b"a@b.example, " * 50 + b"\r\n",
    b"\xff\xfe\x00Header: \x80\x81\r\n",
]


def mutate(rng: random.Random, data: bytes) -> bytes:
    """Apply 1–4 random corruptions of the kinds real mail suffers."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(9)
        if choice == 0 and buf:  # flip bits
            for _ in range(rng.randint(1, 8)):
                position = rng.randrange(len(buf))
                buf[position] ^= 1 << rng.randrange(8)
        elif choice == 1 and buf:  # truncate
            del buf[rng.randrange(len(buf)) :]
        elif choice == 2:  # insert a broken header line
            cut = bytes(buf).find(b"\r\n") + 2 if b"\r\n" in buf else 0
            buf[cut:cut] = rng.choice(_HEADER_NOISE)
        elif choice == 3 and buf:  # duplicate a slice
            start = rng.randrange(len(buf))
            end = min(len(buf), start + rng.randint(1, 200))
            buf[start:start] = buf[start:end]
        elif choice == 4:  # random bytes
            position = rng.randrange(len(buf) + 1)
            buf[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif choice == 5:  # damage boundaries
            buf = bytearray(bytes(buf).replace(b"--", rng.choice([b"-", b"---", b"--\x00"])))
        elif choice == 6:  # strip CRs or add bare CRs
            buf = bytearray(bytes(buf).replace(b"\r\n", rng.choice([b"\n", b"\r", b"\r\r\n"])))
        elif choice == 7:  # very long line
            position = rng.randrange(len(buf) + 1)
            buf[position:position] = b"A" * rng.randint(1000, 20000)
        elif choice == 8:  # remove the header/body separator
            buf = bytearray(bytes(buf).replace(b"\r\n\r\n", b"\r\n", 1))
    return bytes(buf)


def mutations(count: int, seed: int = 1) -> list[bytes] | object:
    """A generator of ``count`` mutated seeds (deterministic for a seed)."""
    rng = random.Random(seed)
    return (mutate(rng, rng.choice(SEEDS)) for _ in range(count))


def on_the_wire(raw: bytes) -> bytes:
    """``raw`` as an MTA sends it: every line ending in CRLF (RFC 5321 2.3.8)."""
    wire = re.sub(rb"\r?\n", b"\r\n", raw)
    return wire if wire.endswith(b"\r\n") else wire + b"\r\n"


def real_world() -> list[tuple[str, bytes]]:
    """Every message in ``mail_corpus/`` as ``(folder/file, bytes as on the wire)``."""
    return [
        (f"{path.parent.name}/{path.name}", on_the_wire(path.read_bytes()))
        for path in sorted(CORPUS.glob("*/*"))
        if path.name not in _NOT_MAIL
    ]


def with_message_id(raw: bytes, message_id: str) -> bytes:
    """``raw`` with its Message-ID header (if any) replaced by ``message_id``."""
    head, separator, body = raw.partition(b"\r\n\r\n")
    kept = re.sub(rb"(?im)^message-id:[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*", b"", head + b"\r\n")
    return f"Message-ID: {message_id}\r\n".encode() + kept.removesuffix(b"\r\n") + separator + body


def same_message(raw: bytes) -> tuple[str, str, str, bytes]:
    """What makes a message itself: Message-ID, sender address, subject, normalised body.

    Two arrivals with equal keys are one message (a redelivery, whatever relays
    added to the headers); any difference makes them two.
    """
    # The header parser leaves the body as it came, its bytes read as surrogate escapes
    # (``get_payload()`` would replace 8-bit bytes it cannot decode: hence ``_payload``).
    parsed = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
    message_id = " ".join(str(parsed.get("Message-ID", "")).split())
    sender = email.utils.parseaddr(str(parsed.get("From", "")))[1].lower()
    subject = " ".join(str(parsed.get("Subject", "")).split())
    body = str(parsed._payload).encode("ascii", "surrogateescape")
    lines = re.split(rb"\r\n|\r|\n", body)
    return (
        message_id,
        sender,
        subject,
        b"\n".join(line.rstrip(b" \t") for line in lines).rstrip(b"\n"),
    )
