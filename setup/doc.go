// Package setup is the one-click setup of the GitHub App: the pages that
// register the App on GitHub from its manifest (GitHub's manifest flow), the
// Go copy of that manifest (kept equal to app.yml by a test), and the
// credentials file the flow writes and serve and worker read.
//
// setup imports none of pushguard's packages (only internal/logkey, once it
// exists): app builds its Options from the configuration and serves the App
// once Serve returns.
package setup
