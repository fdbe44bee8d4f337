//go:build tools

// Package tool names the main package scripts/build-helm.sh builds, so that `go mod tidy` keeps
// helm's dependencies in go.sum at the versions helm.sh/helm/v3 pins.
package tool

import _ "helm.sh/helm/v3/cmd/helm"
