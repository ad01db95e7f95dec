{{/* Labels on every object. `app` is the selector label the runbook greps by (-l app=orchestrator). */}}
{{- define "ossaat.chartLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: {{ .Chart.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "ossaat.orchestratorSelector" -}}
app: orchestrator
{{- end }}

{{- define "ossaat.orchestratorLabels" -}}
{{ include "ossaat.orchestratorSelector" . }}
app.kubernetes.io/name: orchestrator
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
{{ include "ossaat.chartLabels" . }}
{{- end }}

{{- define "ossaat.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* Where the config file is mounted; ORCHESTRATOR_CONFIG points here. */}}
{{- define "ossaat.configPath" -}}
/etc/orchestrator/providers.json
{{- end }}

{{/* Runbook link of one alert: GitHub's anchor of the heading "### <AlertName>" is the name in lower case. */}}
{{- define "ossaat.runbookUrl" -}}
{{ .root.Values.monitoring.prometheus.alerts.runbookUrl }}#{{ lower .alert }}
{{- end }}
