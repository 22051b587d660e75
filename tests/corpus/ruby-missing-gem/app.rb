# Never runs: the build stops at bundle install.
require "bundler/setup"
