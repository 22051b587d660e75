const message = require("fs").readFileSync(__dirname + "/build/message.txt");
require("http").createServer((req, res) => res.end(message)).listen(process.env.PORT);
