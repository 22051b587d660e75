# Never runs: without a Gemfile.lock the build cannot resolve gems offline, and says what to run.
puts "ruby-no-lock"
