# A Procfile's web process with bundler's environment from the buildpack's .profile.d.
require "bundler/setup"
require "webrick"

server = WEBrick::HTTPServer.new(Port: Integer(ENV.fetch("PORT")), BindAddress: "0.0.0.0",
                                 AccessLog: [], Logger: WEBrick::Log.new($stderr))
server.mount_proc("/") { |_req, res| res.body = "ruby-procfile: RACK_ENV=#{ENV['RACK_ENV']}\n" }
trap("TERM") { server.shutdown }
server.start
