// pnpm-lock.yaml and no dependencies: pnpm when the build machine has it, else npm (a message says so).
require("http").createServer((req, res) => res.end("node-pnpm: no dependencies\n")).listen(process.env.PORT);
