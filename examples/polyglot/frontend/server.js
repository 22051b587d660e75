// The polyglot frontend: /, /health, /headers (request headers as JSON).
const http = require("http");

const server = http.createServer((req, res) => {
  if (req.url === "/health") {
    res.writeHead(200, { "Content-Type": "text/plain" });
    return res.end("ok\n");
  }
  if (req.url === "/headers") {
    res.writeHead(200, { "Content-Type": "application/json" });
    return res.end(JSON.stringify(req.headers) + "\n");
  }
  res.writeHead(200, { "Content-Type": "text/plain" });
  res.end("hello from polyglot frontend\n");
});
server.listen(Number(process.env.PORT || 5000), "0.0.0.0");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
