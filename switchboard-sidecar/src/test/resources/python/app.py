"""The app behind the sidecar in PythonUpstreamTest: Python 3's standard library only.

Usage: python3 app.py PORT   (0 picks a free port; prints "listening on N" once it accepts)

  GET /hello          200 "hello from python"
  GET /events/TOPIC   Grip-Hold: stream on TOPIC, with an SSE greeting
  GET /slow           answers after 50 ms (counts how many run at once)
  GET /stats          {"max_in_flight": N, "client_ports": N}: the most requests at once, the connections seen
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
in_flight = 0
max_in_flight = 0
client_ports = set()


class App(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the sidecar's pool expects

    def do_GET(self):
        global in_flight, max_in_flight
        with lock:
            client_ports.add(self.client_address[1])
        if self.path == "/hello":
            self.send("text/plain", b"hello from python")
        elif self.path.startswith("/events/"):
            topic = self.path[len("/events/"):]
            self.send("text/event-stream", b"event: hello\ndata: python\n\n",
                      {"Grip-Hold": "stream", "Grip-Channel": topic})
        elif self.path.startswith("/slow"):
            with lock:
                in_flight += 1
                max_in_flight = max(max_in_flight, in_flight)
            try:
                time.sleep(0.05)
                self.send("text/plain", b"slow")
            finally:
                with lock:
                    in_flight -= 1
        elif self.path == "/stats":
            with lock:
                stats = {"max_in_flight": max_in_flight, "client_ports": len(client_ports)}
            self.send("application/json", json.dumps(stats).encode())
        else:
            self.send("text/plain", b"not here", status=404)

    def send(self, content_type, body, headers=None, status=200):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass  # the sidecar's access log is the one under test


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), App)
    server.daemon_threads = True
    print("listening on", server.server_address[1], flush=True)
    server.serve_forever()
