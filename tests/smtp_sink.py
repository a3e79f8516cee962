"""A real SMTP server on loopback for tests: it stores what it receives, refuses a
message with a line not ended by CRLF (as a strict mail server does), and can hold a
message before accepting it (to kill a worker in the middle of sending)."""

import socketserver
import threading
import time
from email import message_from_bytes
from email.message import Message


class SmtpSink:
    def __init__(self):
        # As received; parsed when read (`messages`), so that a benchmark measures the
        # sender, not this stand-in's MIME parser.
        self.received: list[bytes] = []
        self._parsed: list[Message] = []
        self.hold = threading.Event()  # while set, DATA is not answered
        self.hold_from = 0  # ... once this many messages have been stored
        self.connections = 0  # SMTP sessions opened
        self.receiving = threading.Event()  # set when a held message has arrived
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self):
                sink.connections += 1
                self.reply("220 sink ready")
                while line := self.rfile.readline():
                    command = line.decode(errors="replace").strip().upper()
                    if command.startswith(("EHLO", "HELO")):
                        self.reply("250 sink")
                    elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                        self.reply("250 OK")
                    elif command == "DATA":
                        # Holding here, before the sender may send the message: a sender
                        # killed now has handed nothing over.
                        while sink.hold.is_set() and len(sink.received) >= sink.hold_from:
                            sink.receiving.set()
                            time.sleep(0.05)
                        self.reply("354 go on")
                        lines, complete = [], False
                        while chunk := self.rfile.readline():
                            if chunk == b".\r\n":
                                complete = True
                                break
                            lines.append(chunk)
                        if not complete:
                            return  # the sender went away mid-message: nothing delivered
                        if any(not line.endswith(b"\r\n") for line in lines):
                            # As a strict mail server does (RFC 5321: lines end in CRLF).
                            self.reply("550 5.5.2 bare line feed received")
                            continue
                        sink.received.append(b"".join(lines))
                        self.reply("250 stored")
                    elif command == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not here")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.hold.clear()
        self.server.shutdown()
        self.server.server_close()

    @property
    def messages(self) -> list[Message]:
        """What was received so far, parsed (each message once)."""
        for data in self.received[len(self._parsed) :]:
            self._parsed.append(message_from_bytes(data))
        return self._parsed[: len(self.received)]

    def bodies(self) -> list[str]:
        texts = []
        for message in self.messages:
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    texts.append(part.get_payload(decode=True).decode())
        return texts
