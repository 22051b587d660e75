"""Listens on a fixed port, not $PORT: the deploy fails and names the port it listens on."""
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(204)
        self.end_headers()


print("listening on 0.0.0.0:18931", flush=True)
HTTPServer(("0.0.0.0", 18931), Handler).serve_forever()
