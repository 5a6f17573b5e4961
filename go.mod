module github.com/pushguard/pushguard

go 1.26.8

require github.com/BobuSumisu/aho-corasick v1.0.3
