// hello from node: /, /health, /headers (request headers as JSON).
const http = require("http");
const ms = require("ms");

const started = Date.now();
const server = http.createServer((req, res) => {
  if (req.url === "/health") {
    res.writeHead(200, { "Content-Type": "text/plain" });
    return res.end(`ok, up ${ms(Date.now() - started)}\n`);
  }
  if (req.url === "/headers") {
    res.writeHead(200, { "Content-Type": "application/json" });
    return res.end(JSON.stringify(req.headers) + "\n");
  }
  res.writeHead(200, { "Content-Type": "text/plain" });
  res.end("hello from node\n");
});
server.listen(Number(process.env.PORT || 5000), "0.0.0.0");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
