"""A tiny SMTP server on 127.0.0.1 for tests: it keeps the messages it receives, or refuses
every one as a broken mail server would. Nothing reaches the internet."""

import socketserver
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage


class FakeSMTPServer:
    """Speaks just enough SMTP for Django's SMTP backend (smtplib). `refuse = True` makes it
    answer every message with a permanent error; it can be switched while it runs."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.messages: list[EmailMessage] = []
        self.refused = 0

    def __enter__(self) -> "FakeSMTPServer":
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), self._session_class())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.server.server_close()

    def settings(self) -> dict:
        """The Django settings that send mail here."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 5,
        }

    def _session_class(self) -> type[socketserver.StreamRequestHandler]:
        fake = self

        class Session(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(f"{line}\r\n".encode())

            def handle(self) -> None:
                self.reply("220 fake-smtp.test ESMTP")
                while line := self.rfile.readline():
                    verb = line.decode(errors="replace").strip()[:4].upper()
                    if verb in {"EHLO", "HELO"}:
                        self.reply("250 fake-smtp.test")
                    elif verb == "MAIL" and fake.refuse:
                        fake.refused += 1
                        self.reply("554 5.7.1 Refused: the fake server is set to refuse")
                    elif verb in {"MAIL", "RCPT", "RSET", "NOOP"}:
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        fake.messages.append(
                            message_from_bytes(self.read_data(), policy=policy.default)
                        )
                        self.reply("250 OK: queued")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("502 Command not implemented")

            def read_data(self) -> bytes:
                lines = []
                while (line := self.rfile.readline()) not in {b".\r\n", b".\n", b""}:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                return b"".join(lines)

        return Session
