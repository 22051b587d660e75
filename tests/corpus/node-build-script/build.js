// `npm run build` at build time: writes what the server answers, so the answer proves it ran.
require("fs").mkdirSync("build", { recursive: true });
require("fs").writeFileSync("build/message.txt", "node-build-script: built by npm run build\n");
