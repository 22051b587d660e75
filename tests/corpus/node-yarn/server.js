// yarn.lock: installed with yarn when the build machine has it (yarn leaves .yarn-integrity).
const fs = require("fs");
const greet = require("tiny-greet");
const tool = fs.existsSync("node_modules/.yarn-integrity") ? "yarn" : "npm";
require("http").createServer((req, res) => res.end(`${greet("node-yarn")}, installed by ${tool}\n`))
  .listen(process.env.PORT);
