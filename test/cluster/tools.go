//go:build tools

// Package tools names the two commands the test cluster builds, so that `go mod tidy` keeps their
// dependencies in go.mod/go.sum. It is never compiled: scripts/build-test-cluster.sh runs
// `go build` on these import paths.
package tools

import (
	// etcd's own main package (server/main.go calls etcdmain.Main), at the version k8s.io/kubernetes pins.
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
)
