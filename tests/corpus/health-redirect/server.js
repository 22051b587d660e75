// A login redirect at /: with no health.path configured, an answer below 500 at / is healthy.
require("http").createServer((req, res) => {
  if (req.url === "/login") return res.end("health-redirect: login page\n");
  res.writeHead(302, { Location: "/login" });
  res.end();
}).listen(process.env.PORT);
