# hello from ruby: /, /health, /headers (request headers as JSON).
require "json"
require "webrick"

server = WEBrick::HTTPServer.new(BindAddress: "0.0.0.0", Port: Integer(ENV.fetch("PORT", "5000")),
                                 AccessLog: [], Logger: WEBrick::Log.new($stderr, WEBrick::Log::WARN))
server.mount_proc("/health") { |_req, res| res.content_type = "text/plain"; res.body = "ok\n" }
server.mount_proc("/headers") do |req, res|
  res.content_type = "application/json"
  res.body = JSON.generate(req.header.transform_values { |v| v.join(", ") }) + "\n"
end
server.mount_proc("/") { |_req, res| res.content_type = "text/plain"; res.body = "hello from ruby\n" }
trap("TERM") { server.shutdown }
server.start
