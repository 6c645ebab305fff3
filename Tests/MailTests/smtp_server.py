#!/usr/bin/python3
"""A real SMTP server for MailTests: aiosmtpd on 127.0.0.1, an ephemeral port, optional STARTTLS or
implicit TLS, optional AUTH, and recipients that are refused on purpose.

Prints "READY <port>" once listening. Each accepted message becomes <n>.eml (the bytes as received,
dot-stuffing undone) and <n>.json (envelope, TLS and AUTH facts, and the message as parsed by Python's
own email package, an implementation independent of ours). Every AUTH command is logged in auth.log
(mechanism and whether TLS was on, never the credentials) before any check, so a test can prove that
a client did not even try. Exits when stdin closes, so a crashed test run leaves no server behind.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def parse_arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--cert", help="server certificate chain (PEM); enables STARTTLS")
    parser.add_argument("--key", help="server private key (PEM)")
    parser.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte (SMTPS)")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--mechanisms", default="PLAIN,LOGIN", help="AUTH mechanisms to offer")
    parser.add_argument("--auth-without-tls", action="store_true", help="offer AUTH in clear text too")
    return parser.parse_args()


ARGS = parse_arguments()
COUNTER = 0


def tls_version(server):
    transport = server.transport
    ssl_object = transport.get_extra_info("ssl_object") if transport is not None else None
    return ssl_object.version() if ssl_object is not None else None


class Recorder:
    """The aiosmtpd handler: refuses chosen recipients, stores what it accepts."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0]
        if local.startswith("reject-permanent"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if local.startswith("reject-transient"):
            return "451 4.3.0 <%s>: try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        global COUNTER
        COUNTER += 1
        base = os.path.join(ARGS.maildir, str(COUNTER))
        raw = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        facts = {
            "mail_from": envelope.mail_from,
            "mail_options": envelope.mail_options,
            "rcpt_tos": envelope.rcpt_tos,
            "tls_version": tls_version(server),
            "authenticated_user": (
                session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
            ),
            "helo": session.host_name,
            "subject": str(parsed["Subject"]),
            "from": str(parsed["From"]),
            "to": str(parsed["To"]),
            "from_display_name": parsed["From"].addresses[0].display_name,
            "to_display_names": [a.display_name for a in parsed["To"].addresses],
            "body": parsed.get_content(),
            "defects": [type(d).__name__ for d in parsed.defects],
        }
        with open(base + ".eml.tmp", "wb") as f:
            f.write(raw)
        os.rename(base + ".eml.tmp", base + ".eml")
        with open(base + ".json.tmp", "w") as f:
            json.dump(facts, f)
        os.rename(base + ".json.tmp", base + ".json")
        return "250 2.0.0 OK queued as %d" % COUNTER


class RecordingSMTP(SMTP):
    async def smtp_AUTH(self, arg):
        mechanism = arg.split()[0].upper() if arg else ""
        encrypted = ARGS.implicit_tls or self._tls_protocol is not None
        with open(os.path.join(ARGS.maildir, "auth.log"), "a") as f:
            f.write("%s tls=%s\n" % (mechanism, encrypted))
        await super().smtp_AUTH(arg)


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == ARGS.user
        and auth_data.password.decode() == ARGS.password
    )
    # handled=False: aiosmtpd then answers a failure with its standard 535 5.7.8.
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


async def main():
    loop = asyncio.get_running_loop()
    context = None
    if ARGS.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(ARGS.cert, ARGS.key)
    offered = {m.strip().upper() for m in ARGS.mechanisms.split(",") if m.strip()}
    excluded = [m for m in ("PLAIN", "LOGIN") if m not in offered]

    def factory():
        return RecordingSMTP(
            Recorder(),
            hostname="mail.test",
            tls_context=None if ARGS.implicit_tls else context,
            authenticator=authenticator if ARGS.user else None,
            # aiosmtpd only counts STARTTLS as TLS; on an implicit-TLS socket every byte is encrypted.
            auth_require_tls=not (ARGS.auth_without_tls or ARGS.implicit_tls),
            auth_exclude_mechanism=excluded,
            loop=loop,
        )

    server = await loop.create_server(
        factory, "127.0.0.1", 0, ssl=context if ARGS.implicit_tls else None
    )
    print("READY %d" % server.sockets[0].getsockname()[1], flush=True)

    def exit_when_stdin_closes():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    await server.serve_forever()


if __name__ == "__main__":
    # Children of Dispatch worker threads inherit a mask that blocks every signal; let SIGTERM and
    # SIGINT through so the server can be stopped like any other process.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    asyncio.run(main())
