"""Opens N idle subscriptions to a Switchboard server and holds them (bench/idle-cold.sh runs it).

    python3 hold_connections.py PORT sse|ws N HOLD_SECONDS

Each SSE connection is `GET /v1/topics/idle/events` with its response headers read; each WebSocket is
an upgrade of `GET /v1/ws` followed by one subscribe frame and the first byte of the server's answer.
At most 200 handshakes run at once. Prints `open N` once every connection is established, then holds
them for HOLD_SECONDS. The standard library only, and no per-connection work after the handshake:
what the server's RSS gains is the connections' cost, not a client's.
"""
import asyncio
import base64
import os
import sys

TOPIC = "idle"


async def open_sse(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /v1/topics/{TOPIC}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"SSE answered {head[:40]!r}")
    return reader, writer


async def open_ws(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(("GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(f"WebSocket upgrade answered {head[:40]!r}")
    payload = f'{{"op":"subscribe","topic":"{TOPIC}"}}'.encode()
    mask = os.urandom(4)  # a client's frames are masked (RFC 6455 §5.3)
    writer.write(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
    await writer.drain()
    await reader.readexactly(1)  # the subscription's acknowledgement has begun to arrive
    return reader, writer


async def main(port, kind, count, hold):
    opener = open_sse if kind == "sse" else open_ws
    gate = asyncio.Semaphore(200)

    async def one():
        async with gate:
            return await opener(port)

    connections = await asyncio.gather(*(one() for _ in range(count)))
    print(f"open {len(connections)}", flush=True)
    await asyncio.sleep(hold)


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[2] not in ("sse", "ws"):
        sys.exit(__doc__)
    asyncio.run(main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])))
