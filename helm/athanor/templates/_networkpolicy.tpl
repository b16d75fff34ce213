{{- /* Egress every Quarkus service needs: DNS, PostgreSQL, Keycloak (discovery and JWKS). */}}
{{- define "athanor.netpol.baseEgress" -}}
{{- $e := .Values.networkPolicy.egress -}}
- ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
  to:
    - namespaceSelector: {}
- ports:
    - {protocol: TCP, port: {{ .Values.postgresql.port }}}
  to:
    {{- range $e.postgresqlCidrs }}
    - ipBlock: {cidr: {{ . }}}
    {{- end }}
- ports:
    {{- range $e.keycloakPorts }}
    - {protocol: TCP, port: {{ . }}}
    {{- end }}
  to:
    {{- range $e.keycloakCidrs }}
    - ipBlock: {cidr: {{ . }}}
    {{- end }}
{{- if $e.cloudMetadata }}
- ports:
    - {protocol: TCP, port: 80}
    - {protocol: TCP, port: 988}
  to:
    - ipBlock: {cidr: 169.254.169.254/32}
{{- end }}
{{- with $e.extraRules }}
{{ toYaml . }}
{{- end }}
{{- end -}}
{{- define "athanor.netpol.storageEgress" -}}
{{- $e := .Values.networkPolicy.egress -}}
- ports:
    {{- range $e.objectStoragePorts }}
    - {protocol: TCP, port: {{ . }}}
    {{- end }}
  to:
    {{- range $e.objectStorageCidrs }}
    - ipBlock: {cidr: {{ . }}}
    {{- end }}
{{- end -}}
{{- define "athanor.netpol.fromIngressController" -}}
{{- $c := .Values.networkPolicy.ingressController -}}
{{- if $c.namespaceSelector }}
- namespaceSelector:
    {{- toYaml $c.namespaceSelector | nindent 4 }}
  podSelector:
    {{- toYaml $c.podSelector | nindent 4 }}
{{- end }}
{{- range $c.ipBlocks }}
- ipBlock: {cidr: {{ . }}}
{{- end }}
{{- end -}}
{{- define "athanor.netpol.fromMonitoring" -}}
- namespaceSelector:
    {{- toYaml .Values.networkPolicy.monitoring.namespaceSelector | nindent 4 }}
{{- end -}}
