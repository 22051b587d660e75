// No start script: npm start would run `node index.js`, and so does the default web process.
require("http").createServer((req, res) => res.end("node engines\n")).listen(process.env.PORT);
