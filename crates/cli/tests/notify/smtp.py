"""A real SMTP server on loopback for the tests of Lajna's e-mails (issue 14): aiosmtpd, Debian's
python3-aiosmtpd, which scripts/test installs.

    smtp.py DIR PORT [--refuse ADDRESS]... [--delay SECONDS]

PORT 0 takes a free port. Once listening it prints `port N` on standard output. Each message it
accepts is written to DIR as NNNN.eml, the bytes exactly as received, beside NNNN.rcpt, the
envelope's recipients one a line; both are written to a temporary name and renamed, the .eml
last, so a reader never sees half a message. Numbering goes on from the files already in DIR,
so a server restarted on the same port and directory keeps one sequence. A refused ADDRESS is
answered `550` at RCPT TO (a permanent refusal); --delay slows each DATA (a busy server).

`read` mode prints every message of DIR as one JSON object a line, read back with Python's
`email` package (policy=default), the independent reader of what Lajna sends:

    smtp.py read DIR
"""

import asyncio
import email
import email.policy
import json
import os
import sys

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, out, refused, delay):
        self.out = out
        self.refused = {a.lower() for a in refused}
        self.delay = delay
        names = [f for f in os.listdir(out) if f.endswith(".eml")]
        self.n = max((int(f[:4]) for f in names), default=0)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.n += 1
        base = os.path.join(self.out, "%04d" % self.n)
        for ext, data in ((".rcpt", "\n".join(envelope.rcpt_tos).encode()), (".eml", envelope.content)):
            with open(base + ext + ".tmp", "wb") as f:
                f.write(data)
            os.rename(base + ext + ".tmp", base + ext)
        return "250 2.0.0 accepted"


async def serve(out, port, refused, delay):
    handler = Handler(out, refused, delay)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, decode_data=False), "127.0.0.1", port)
    print("port", server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


def read(out):
    for name in sorted(f for f in os.listdir(out) if f.endswith(".eml")):
        with open(os.path.join(out, name), "rb") as f:
            m = email.message_from_bytes(f.read(), policy=email.policy.default)
        with open(os.path.join(out, name[:-4] + ".rcpt")) as f:
            rcpt = f.read().split("\n")
        text = m.get_body(("plain",))
        html = m.get_body(("html",))
        print(json.dumps({
            "file": name,
            "rcpt": rcpt,
            "to": str(m["to"]),
            "subject": str(m["subject"]),
            "message_id": str(m["message-id"]),
            "date": m["date"].datetime.isoformat(),
            "list_unsubscribe": str(m["list-unsubscribe"]),
            "headers": [k.lower() for k in m.keys()],
            "text": text.get_content() if text else "",
            "html": html.get_content() if html else "",
        }, ensure_ascii=False))


def main(argv):
    if argv[0] == "read":
        read(argv[1])
        return
    out, port = argv[0], int(argv[1])
    refused, delay, rest = [], 0.0, argv[2:]
    while rest:
        if rest[0] == "--refuse":
            refused.append(rest[1])
        elif rest[0] == "--delay":
            delay = float(rest[1])
        else:
            raise SystemExit("unknown argument %r" % rest[0])
        rest = rest[2:]
    asyncio.run(serve(out, port, refused, delay))


if __name__ == "__main__":
    main(sys.argv[1:])
