// No start script and no lockfile: the default web process is `node server.js`, as npm start's.
require("http").createServer((req, res) => res.end(`node-server-js: ${process.env.NODE_ENV}\n`))
  .listen(process.env.PORT);
