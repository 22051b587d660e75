module example.test/govendor

go 1.19

require example.test/greet v1.0.0
