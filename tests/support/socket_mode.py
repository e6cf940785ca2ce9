"""A Socket Mode endpoint on loopback: a WebSocket that sends Slack's envelopes and collects acks.

Just enough of RFC 6455 for slack_sdk's built-in client: the handshake, unmasked text frames
out, masked frames in, pings answered with pongs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
from typing import Any

from tests.fakes import FakeSlack

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class FakeSocketMode:
    """Accepts one client at a time; `send()` an envelope, `wait_for_ack()` its answer."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._conn: socket.socket | None = None
        self._cond = threading.Condition()
        self.acks: dict[str, dict[str, Any]] = {}
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True, name="fake-socket-mode")

    @property
    def url(self) -> str:
        """The wss URL apps.connections.open hands out (plain ws on loopback)."""
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link"

    def start(self) -> FakeSocketMode:
        """Serve from a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the listener and the current connection."""
        self._listener.close()
        with self._cond:
            if self._conn is not None:
                self._conn.close()

    def wait_connected(self, timeout: float = 30) -> None:
        """Block until a client completed the handshake."""
        with self._cond:
            assert self._cond.wait_for(lambda: self._conn is not None, timeout), "no client"

    def send(self, envelope: dict[str, Any]) -> None:
        """Send one envelope as a text frame."""
        data = json.dumps(envelope).encode()
        header = bytes([0x81])
        if len(data) < 126:
            header += bytes([len(data)])
        else:
            header += bytes([126]) + struct.pack(">H", len(data))
        with self._cond:
            assert self._conn is not None
            self._conn.sendall(header + data)

    def wait_for_ack(self, envelope_id: str, timeout: float = 30) -> dict[str, Any]:
        """The client's answer to an envelope."""
        with self._cond:
            assert self._cond.wait_for(lambda: envelope_id in self.acks, timeout), envelope_id
            return self.acks[envelope_id]

    def _accept(self) -> None:
        while True:
            try:
                conn, _addr = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(1024)
                if not chunk:
                    return
                request += chunk
            headers = dict(
                line.split(": ", 1) for line in request.decode().split("\r\n")[1:] if ": " in line
            )
            key = headers["Sec-WebSocket-Key"].encode()
            accept = base64.b64encode(hashlib.sha1(key + _GUID).digest()).decode()
            conn.sendall(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept.encode() + b"\r\n\r\n"
            )
            with self._cond:
                self._conn, self.connections = conn, self.connections + 1
                self._cond.notify_all()
            self._read_frames(conn)
        except OSError:
            return
        finally:
            conn.close()

    def _read_frames(self, conn: socket.socket) -> None:
        while True:
            head = _recv_exactly(conn, 2)
            opcode, length = head[0] & 0x0F, head[1] & 0x7F
            if length == 126:
                length = struct.unpack(">H", _recv_exactly(conn, 2))[0]
            elif length == 127:
                length = struct.unpack(">Q", _recv_exactly(conn, 8))[0]
            mask = _recv_exactly(conn, 4) if head[1] & 0x80 else b"\0\0\0\0"
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(_recv_exactly(conn, length)))
            if opcode == 0x8:  # close
                return
            if opcode == 0x9:  # ping → pong
                with self._cond:
                    conn.sendall(bytes([0x8A, len(data)]) + data)
            elif opcode == 0x1:
                message = json.loads(data)
                with self._cond:
                    self.acks[message.get("envelope_id", "")] = message
                    self._cond.notify_all()


def _recv_exactly(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise OSError("closed")
        data += chunk
    return data


class SocketModeSlack(FakeSlack):
    """The fake Web API that also opens Socket Mode connections (apps.connections.open)."""

    socket_url = ""

    def _m_apps_connections_open(self, _a: dict[str, Any], _t: str) -> dict[str, Any]:
        return {"ok": True, "url": self.socket_url}
