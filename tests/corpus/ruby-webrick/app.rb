# A Gemfile app (webrick from Debian) run by the default web process; reports BUNDLE_GEMFILE,
# which the ruby buildpack's profile script sets.
require "webrick"

server = WEBrick::HTTPServer.new(BindAddress: "0.0.0.0", Port: Integer(ENV.fetch("PORT")),
                                 AccessLog: [], Logger: WEBrick::Log.new($stderr, WEBrick::Log::WARN))
server.mount_proc("/") do |_req, res|
  res.content_type = "text/plain"
  res.body = "ruby-webrick: BUNDLE_GEMFILE=#{ENV.fetch("BUNDLE_GEMFILE", "-")}\n"
end
trap("TERM") { server.shutdown }
server.start
