{{/* Names and labels, as `helm create` makes them. */}}
{{- define "chime-voice-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "chime-voice-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "chime-voice-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "chime-voice-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "chime-voice-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "chime-voice-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "chime-voice-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "chime-voice-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* "true" when leader election is on: explicitly, or by `auto` with more than one replica. */}}
{{- define "chime-voice-operator.leaderElect" -}}
{{- $le := .Values.leaderElection.enabled }}
{{- if eq (toString $le) "auto" }}
{{- if gt (int .Values.replicaCount) 1 }}true{{ end }}
{{- else if $le }}true{{ end }}
{{- end }}

{{- define "chime-voice-operator.leaseName" -}}
{{- default (include "chime-voice-operator.fullname" .) .Values.leaderElection.leaseName }}
{{- end }}

{{- define "chime-voice-operator.digestKeySecretName" -}}
{{- default (printf "%s-digest-key" (include "chime-voice-operator.fullname" .) | trunc 253) .Values.digestKey.secretName }}
{{- end }}
