#!/usr/bin/python3
"""A real SMTP server on 127.0.0.1 for the e-mail tests (Debian's
python3-aiosmtpd): every message it accepts is written to --out as one JSON
file (envelope sender and recipients, the login used, whether the session
was under TLS, the raw message). Prints "listening on 127.0.0.1:PORT" once it
accepts connections; --port=0 takes a free port.

  smtp_sink.py --out=DIR [--port=N] [--tls-cert=F --tls-key=F] [--auth=USER:PASSWORD]
               [--reject=ADDRESS]...

With --tls-cert it offers STARTTLS and requires it before MAIL; with --auth it
requires that login (over TLS only); --reject answers 550 to RCPT TO of that
address."""

import argparse
import asyncio
import json
import os
import signal
import ssl
import time

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, out, reject):
        self.out, self.reject = out, set(a.lower() for a in reject)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        login = None
        if session.auth_data is not None and isinstance(session.auth_data, LoginPassword):
            login = session.auth_data.login.decode()
        doc = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "login": login,
               "tls": session.ssl is not None,
               "data": envelope.original_content.decode("utf-8", "replace")}
        name = f"{time.time_ns()}-{os.getpid()}.json"
        tmp = os.path.join(self.out, "." + name)
        with open(tmp, "w") as f:
            json.dump(doc, f)
        os.rename(tmp, os.path.join(self.out, name))
        return "250 2.0.0 accepted"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--auth")
    ap.add_argument("--reject", action="append", default=[])
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    context = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)

    authenticator = None
    if args.auth:
        user, _, password = args.auth.partition(":")

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
                  and auth_data.password.decode() == password)
            return AuthResult(success=ok, auth_data=auth_data)

    handler = Handler(args.out, args.reject)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(handler, hostname="sink.test", tls_context=context, require_starttls=context is not None,
                    authenticator=authenticator, auth_required=authenticator is not None,
                    auth_require_tls=True, loop=loop)

    server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=args.port))
    port = server.sockets[0].getsockname()[1]
    print(f"listening on 127.0.0.1:{port}", flush=True)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    loop.run_forever()
    server.close()


if __name__ == "__main__":
    main()
