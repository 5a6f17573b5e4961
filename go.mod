module github.com/pushguard/pushguard

go 1.26.8

require github.com/BobuSumisu/aho-corasick v1.0.3

require github.com/bluekeyes/go-gitdiff v0.8.1 // indirect
