// The same redirect at /, but health.path: / is configured: it must answer 2xx, so the deploy fails.
require("http").createServer((req, res) => {
  if (req.url === "/login") return res.end("fail-health-path: login page\n");
  res.writeHead(302, { Location: "/login" });
  res.end();
}).listen(process.env.PORT);
