{{/* Names and labels. */}}
{{- define "athanor.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "athanor.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "<fullname>-<component>", e.g. athanor-ingest. Call with (list $ "ingest"). */}}
{{- define "athanor.componentName" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" (include "athanor.fullname" $root) (index . 1) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "athanor.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "athanor.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "athanor.labels" -}}
{{- $root := index . 0 -}}
{{ include "athanor.selectorLabels" . }}
app.kubernetes.io/part-of: athanor
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* An image reference: (list $ .Values.ingest.image). The tag defaults to the chart's appVersion. */}}
{{- define "athanor.image" -}}
{{- $root := index . 0 -}}
{{- $image := index . 1 -}}
{{- $repository := $image.repository -}}
{{- if $root.Values.image.registry -}}
{{- $repository = printf "%s/%s" (trimSuffix "/" $root.Values.image.registry) $repository -}}
{{- end -}}
{{- printf "%s:%s" $repository (default $root.Chart.AppVersion $image.tag) -}}
{{- end -}}

{{- define "athanor.imagePullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Pod security: non-root, the runtime's default seccomp profile. Call with the user id. */}}
{{- define "athanor.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ . }}
runAsGroup: {{ . }}
fsGroup: {{ . }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container security: non-root, read-only root filesystem, no capabilities, no escalation. */}}
{{- define "athanor.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ . }}
runAsGroup: {{ . }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Quarkus SmallRye Health probes on a named port. Startup allows for slow starts (migrations);
     liveness and readiness only take over once started. */}}
{{- define "athanor.quarkusProbes" -}}
{{- $port := index . 0 -}}
{{- $startupSeconds := index . 1 -}}
startupProbe:
  httpGet: {path: /q/health/started, port: {{ $port }}}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: {{ div $startupSeconds 5 }}
livenessProbe:
  httpGet: {path: /q/health/live, port: {{ $port }}}
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /q/health/ready, port: {{ $port }}}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end -}}

{{/* JDBC URL of the external PostgreSQL. */}}
{{- define "athanor.jdbcUrl" -}}
{{- with .Values.postgresql -}}
{{- printf "jdbc:postgresql://%s:%d/%s?sslmode=%s" .host (int .port) .database .sslMode -}}
{{- end -}}
{{- end -}}

{{/* Database credentials, read from the named Secret (never from values). */}}
{{- define "athanor.datasourceEnv" -}}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef: {name: {{ .Values.postgresql.existingSecret }}, key: {{ .Values.postgresql.usernameKey }}}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .Values.postgresql.existingSecret }}, key: {{ .Values.postgresql.passwordKey }}}
{{- end -}}

{{/* Mounts every Quarkus container needs with a read-only root: a writable /tmp, and the
     Keycloak CA when one is given. */}}
{{- define "athanor.quarkusVolumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.auth.caSecret }}
- name: keycloak-ca
  mountPath: /etc/athanor/keycloak-ca
  readOnly: true
{{- end }}
{{- end -}}

{{- define "athanor.quarkusVolumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- if .Values.auth.caSecret }}
- name: keycloak-ca
  secret:
    secretName: {{ .Values.auth.caSecret }}
    items:
      - {key: ca.crt, path: ca.crt}
{{- end }}
{{- end -}}

{{/* Static bucket keys, when objectStorage names a Secret for them (otherwise the pod's cloud identity). */}}
{{- define "athanor.storeCredentialsEnv" -}}
{{- $s := .Values.objectStorage -}}
{{- if and (eq $s.kind "s3") $s.s3.existingSecret }}
- name: ATHANOR_ARCHIVE_S3_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef: {name: {{ $s.s3.existingSecret }}, key: {{ $s.s3.accessKeyIdKey }}}
- name: ATHANOR_ARCHIVE_S3_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef: {name: {{ $s.s3.existingSecret }}, key: {{ $s.s3.secretAccessKeyKey }}}
{{- end }}
{{- end -}}

{{- define "athanor.storeCredentialsMount" -}}
{{- $s := .Values.objectStorage -}}
{{- if and (eq $s.kind "gcs") $s.gcs.existingSecret }}
- name: gcs-credentials
  mountPath: /var/run/secrets/athanor/gcs
  readOnly: true
{{- end }}
{{- end -}}

{{- define "athanor.storeCredentialsVolume" -}}
{{- $s := .Values.objectStorage -}}
{{- if and (eq $s.kind "gcs") $s.gcs.existingSecret }}
- name: gcs-credentials
  secret:
    secretName: {{ $s.gcs.existingSecret }}
    items:
      - {key: {{ $s.gcs.credentialsKey }}, path: credentials.json}
{{- end }}
{{- end -}}

{{- /* ingest's pod grace: the preStop wait, the time running calls get (QUARKUS_SHUTDOWN_TIMEOUT),
       then the drain's fixed tail: seal + group commit + lease release (10 s) and the indexer's
       workers, joined 5 s each. One value (ingest.drain.timeoutSeconds) drives both. */}}
{{- define "athanor.ingest.terminationGracePeriodSeconds" -}}
{{- $d := .Values.ingest.drain -}}
{{- add (int $d.preStopSeconds) (int $d.timeoutSeconds) (int $d.indexSeconds) 10 (mul 5 (int .Values.ingest.index.threads)) -}}
{{- end -}}
