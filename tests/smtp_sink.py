"""An SMTP server for the mail tests, run as
`python -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.Sink FOLDER MODE`.

Each accepted message is saved as FOLDER/<random>.eml and, decoded by Python's own e-mail
parser, as FOLDER/<random>.json (headers and text); both are written to a temporary name
first. `python smtp_sink.py decode FILE.eml` prints the same JSON for one message file.
MODE: `ok` accepts everything; `550` refuses every message permanently; `451:N` refuses the
first N messages temporarily; `slow:SECONDS` accepts each message after a pause.
"""
import asyncio
import email
import email.policy
import json
import os
import sys
import uuid


def decoded(raw):
    """The headers the tests check and the text, decoded (RFC 2047 words, transfer encoding)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    headers = {k: str(message[k]) for k in ("Subject", "From", "To", "Message-ID", "Date",
                                             "List-Unsubscribe", "List-Unsubscribe-Post")
               if message[k] is not None}
    return {"headers": headers, "raw_subject": raw.split(b"Subject:", 1)[-1].split(b"\r\n", 1)[0].decode("ascii", "replace").strip(),
            "body": message.get_content() if not message.is_multipart() else ""}


def save(folder, name, data):
    temp = os.path.join(folder, "." + name + ".tmp")
    with open(temp, "wb") as f:
        f.write(data)
    os.rename(temp, os.path.join(folder, name))


class Sink:
    def __init__(self, folder, mode="ok"):
        self.folder = folder
        self.mode = mode
        self.refused = 0

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(*args)

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "550":
            return "550 5.1.1 mailbox unavailable"
        if self.mode.startswith("451:") and self.refused < int(self.mode.split(":")[1]):
            self.refused += 1
            return "451 4.3.0 try again later"
        if self.mode.startswith("slow:"):
            await asyncio.sleep(float(self.mode.split(":")[1]))
        raw = envelope.original_content or envelope.content
        name = uuid.uuid4().hex
        save(self.folder, name + ".eml", raw)
        save(self.folder, name + ".json", json.dumps(decoded(raw)).encode())
        return "250 OK"


if __name__ == "__main__" and sys.argv[1:2] == ["decode"]:
    with open(sys.argv[2], "rb") as f:
        print(json.dumps(decoded(f.read())))
