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

{{/*
  Where the config file is mounted; ORCHESTRATOR_CONFIG points here. The ConfigMap is mounted as a
  directory (never with subPath, whose files the kubelet does not update), so an edited ConfigMap
  reaches the running pods and orchestrator's reload picks it up.
*/}}
{{- define "ossaat.configDir" -}}
/etc/orchestrator/config
{{- end }}

{{- define "ossaat.configPath" -}}
{{ include "ossaat.configDir" . }}/providers.json
{{- end }}

{{/*
  Whole seconds (rounded up) of a duration in orchestrator's notation: 100ms, 30s, 1m, 2h, or a bare
  number of seconds. Fails the render on anything else, naming the key.
*/}}
{{- define "ossaat.durationSeconds" -}}
{{- $text := toString .value | trim }}
{{- if not (regexMatch "^[0-9]+(\\.[0-9]+)?(ms|s|m|h)?$" $text) }}
{{- fail (printf "%s: expected a duration such as 100ms, 30s, 1m or 2h, got %q" .key $text) }}
{{- end }}
{{- $number := regexFind "^[0-9]+(\\.[0-9]+)?" $text }}
{{- $unit := trimPrefix $number $text | default "s" }}
{{- $factor := get (dict "ms" 0.001 "s" 1.0 "m" 60.0 "h" 3600.0) $unit }}
{{- ceil (mulf (float64 $number) $factor) | int }}
{{- end }}

{{/*
  terminationGracePeriodSeconds: the preStop sleep, then the drain (server.drainTimeout), then a margin
  for the JVM to exit. Derived when empty; a given number must exceed preStop + drain.
*/}}
{{- define "ossaat.terminationGracePeriodSeconds" -}}
{{- $preStop := int .Values.preStopSleepSeconds }}
{{- $drain := include "ossaat.durationSeconds" (dict "key" "orchestrator.server.drainTimeout" "value" (.Values.orchestrator.server.drainTimeout | default "30s")) | int }}
{{- $given := .Values.terminationGracePeriodSeconds }}
{{- if or (kindIs "invalid" $given) (eq (toString $given) "") }}
{{- add $preStop $drain (int .Values.terminationGraceMarginSeconds) }}
{{- else if le (int $given) (add $preStop $drain) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed preStopSleepSeconds (%d) + orchestrator.server.drainTimeout (%ds): Kubernetes would kill the pod before its requests drained; leave it empty to derive it" (int $given) $preStop $drain) }}
{{- else }}
{{- int $given }}
{{- end }}
{{- end }}

{{/*
  The config keys orchestrator applies only at start (a reload logs that a restart is needed for
  them). Their hash is the pod template's checksum/config-restart: helm upgrade rolls the pods when one
  of them changes, and leaves every other config change to the running pods' reload. Without reload,
  the whole config is hashed.
*/}}
{{- define "ossaat.configRestartChecksum" -}}
{{- $o := .Values.orchestrator }}
{{- if include "ossaat.reloads" . }}
{{- $server := default dict $o.server }}
{{- dict "port" $server.port "maxBodyBytes" $server.maxBodyBytes "drainTimeout" $server.drainTimeout "cache" $o.cache "redis" $o.redis "chartRedis" .Values.redis.enabled "metrics" $o.metrics "logging" $o.logging "reload" $o.reload "health" $o.health "secrets" $o.secrets "responses" $o.responses | toJson | sha256sum }}
{{- else }}
{{- toJson $o | sha256sum }}
{{- end }}
{{- end }}

{{/* Whether orchestrator reloads its config and secret files (orchestrator.reload.enabled, default true). */}}
{{- define "ossaat.reloads" -}}
{{- $r := default dict .Values.orchestrator.reload }}
{{- if ne (toString $r.enabled) "false" }}true{{ end }}
{{- end }}

{{/* Runbook link of one alert: GitHub's anchor of the heading "### <AlertName>" is the name in lower case. */}}
{{- define "ossaat.runbookUrl" -}}
{{ .root.Values.monitoring.prometheus.alerts.runbookUrl }}#{{ lower .alert }}
{{- end }}

{{/*
  error_type values that are not the provider's fault, kept out of ProviderHighErrorRate and
  AllProvidersDown: the client's own bad_request/not_found, cancellations, overloaded (our own
  admission queue refused the request; ProviderQueueSaturated covers it) and internal (orchestrator's
  own fault: an adapter bug, a provider a reload removed mid-request).
*/}}
{{- define "ossaat.notProviderFaults" -}}
bad_request|not_found|cancelled|overloaded|internal
{{- end }}

{{/* Models the chart's Ollama pulls: orchestrator's default model for it first, then ollama.pullModels. */}}
{{- define "ossaat.ollamaModels" -}}
{{- $models := list }}
{{- $provider := dig "providers" "ollama" nil .Values.orchestrator }}
{{- if and (kindIs "map" $provider) $provider.model }}
{{- $models = append $models $provider.model }}
{{- end }}
{{- range .Values.ollama.pullModels | default list }}
{{- $models = append $models . }}
{{- end }}
{{- toJson (uniq $models) }}
{{- end }}
