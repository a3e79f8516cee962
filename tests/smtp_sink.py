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
        self.refuse: set[str] = set()  # addresses refused as sender or recipient
        self.pipelining = True  # offered in the EHLO answer (RFC 2920)
        self.envelopes: list[tuple[str, list[str]]] = []  # (sender, recipients) of each
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            # Each reply leaves at once, as a mail server's do: with Nagle's algorithm
            # the replies to a pipelined envelope wait on the sender's delayed ACK.
            disable_nagle_algorithm = True

            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self):
                sink.connections += 1
                self.reply("220 sink ready")
                sender, recipients = None, []
                while line := self.rfile.readline():
                    command = line.decode(errors="replace").strip().upper()
                    address = line.decode(errors="replace").partition(":")[2].strip()
                    address = address.split()[0].strip("<>") if address else ""
                    if command.startswith("EHLO"):
                        # Commands may come several at a time (RFC 2920); each is still
                        # answered in turn.
                        if sink.pipelining:
                            self.reply("250-sink")
                            self.reply("250 PIPELINING")
                        else:
                            self.reply("250 sink")
                    elif command.startswith("HELO"):
                        self.reply("250 sink")
                    elif command.startswith("MAIL"):
                        if address in sink.refuse:
                            self.reply("550 5.7.1 sender refused")
                        else:
                            sender, recipients = address, []
                            self.reply("250 OK")
                    elif command.startswith("RCPT"):
                        if sender is None:
                            self.reply("503 5.5.1 MAIL first")
                        elif address in sink.refuse:
                            self.reply("550 5.1.1 no such mailbox")
                        else:
                            recipients.append(address)
                            self.reply("250 OK")
                    elif command.startswith("RSET"):
                        sender, recipients = None, []
                        self.reply("250 OK")
                    elif command.startswith("NOOP"):
                        self.reply("250 OK")
                    elif command == "DATA" and not recipients:
                        self.reply("554 5.5.1 no valid recipients")
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
                        if any(not line.endswith(b"\r\n") or b"\r" in line[:-2] for line in lines):
                            # As a strict mail server does (RFC 5321: lines end in CRLF).
                            self.reply("550 5.5.2 bare line feed or carriage return")
                            sender, recipients = None, []
                            continue
                        sink.envelopes.append((sender, recipients))
                        # A line the sender began with an extra "." (RFC 5321, 4.5.2).
                        lines = [line[1:] if line.startswith(b".") else line for line in lines]
                        sink.received.append(b"".join(lines))
                        sender, recipients = None, []
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
