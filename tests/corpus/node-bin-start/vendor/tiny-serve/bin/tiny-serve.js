#!/usr/bin/env node
// A dependency's executable: answers with its name and whether npm's prestart hook ran.
const fs = require("fs");
require("http").createServer((req, res) => {
  const hook = fs.existsSync("/tmp/prestart-ran") ? "prestart ran" : "no prestart";
  res.end(`tiny-serve: ${hook}\n`);
}).listen(process.env.PORT);
