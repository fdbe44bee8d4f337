// The Argo CD health checks' test program: runs argocd/health/**/health.lua in gopher-lua the way
// Argo CD does. Its own module, separate from test/cluster and from everything else.
module chime-voice-operator/test/argocd

go 1.24.0

require (
	github.com/yuin/gopher-lua v1.1.2
	layeh.com/gopher-json v0.0.0-20190114024228-97fed8db8427
	sigs.k8s.io/yaml v1.6.0
)

require go.yaml.in/yaml/v2 v2.4.2 // indirect
