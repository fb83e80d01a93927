"""The HTTP edge with real sockets: oversized headers, slow headers, slow bodies.

Each case checks the answer the attacker gets and that a well-behaved client on its own
connection is answered meanwhile (tests/hostile/probe.py).
"""

from __future__ import annotations

import http.client
import socket

from tests.hostile.conftest import RouterProcess
from tests.hostile.probe import TYPENAME, Probe


def connect(router: RouterProcess) -> socket.socket:
    return socket.create_connection(("127.0.0.1", router.port), timeout=20)


def answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def status_of(raw: bytes) -> int:
    return int(raw.split(b" ", 2)[1])


def test_a_32_mib_header_gets_431(router: RouterProcess) -> None:
    with Probe(router.port) as probe, connect(router) as sock:
        sock.sendall(b"POST /graphql HTTP/1.1\r\nHost: router\r\nX-Padding: ")
        sent = 0
        try:
            while sent < 32 * 1024 * 1024:
                sock.sendall(b"a" * 65536)
                sent += 65536
        except OSError:
            pass  # the router closed the connection after its 431
        raw = answer(sock)
    assert status_of(raw) == 431
    assert raw.endswith(b"Request headers are over the limit of 32768 bytes.")
    assert sent < 32 * 1024 * 1024
    probe.assert_served()


def test_headers_sent_slowly_get_408(router: RouterProcess) -> None:
    with Probe(router.port) as probe, connect(router) as sock:
        sock.sendall(b"POST /graphql HTTP/1.1\r\nHost: router\r\n")
        raw = answer(sock)
    assert status_of(raw) == 408
    assert raw.endswith(b"The request headers did not arrive in time.")
    probe.assert_served()


def test_a_connection_that_sends_nothing_is_closed(router: RouterProcess) -> None:
    with connect(router) as sock:
        assert status_of(answer(sock)) == 408


def test_a_body_sent_slowly_gets_408(router: RouterProcess) -> None:
    with Probe(router.port) as probe, connect(router) as sock:
        sock.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: router\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n" + b'{"query": '
        )
        raw = answer(sock)
    assert status_of(raw) == 408
    assert raw.endswith(b"The request body did not arrive in time.")
    probe.assert_served()


def test_a_request_within_the_bounds_is_answered_on_a_kept_connection(
    router: RouterProcess,
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", router.port, timeout=20)
    try:
        for _ in range(2):
            connection.request(
                "POST",
                "/graphql",
                TYPENAME,
                {"Content-Type": "application/json", "X-Padding": "a" * 20_000},
            )
            response = connection.getresponse()
            assert (response.status, response.read()) == (200, b'{"data":{"__typename":"Query"}}')
    finally:
        connection.close()
