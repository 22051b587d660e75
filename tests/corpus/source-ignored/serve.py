"""What the slug holds: .gitattributes export-ignore and .slugignore leave files out."""
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        seen = [p for p in ("docs/guide.md", "fixtures/big.bin", "kept.txt") if os.path.exists(p)]
        body = f"source-ignored: {' '.join(seen)}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
