// A helm chart for tests and benchmarks, written to disk (no repositories, no network): the kinds a typical
// application chart has, a CRD in crds/ with a custom resource of it, and a post-install hook Job.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes the demo chart into `dir` (values: replicas, message, image, color): a Deployment, Service, ConfigMap,
 * Secret, ServiceAccount, a Widget CRD in crds/ and a Widget, and a post-install hook Job.
 */
export async function writeDemoChart(dir: string): Promise<void> {
  await mkdir(join(dir, 'templates'), { recursive: true });
  await mkdir(join(dir, 'crds'), { recursive: true });
  await writeFile(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: "1.0"\n');
  await writeFile(join(dir, 'values.yaml'), 'replicas: 2\nmessage: hello\nimage: nginx:1.25\ncolor: blue\n');
  await writeFile(join(dir, 'crds', 'widgets.yaml'), `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.demo.k8ts.dev
spec:
  group: demo.k8ts.dev
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              color: {type: string}
              size: {type: integer, default: 1}
`);
  const labels = '    app.kubernetes.io/name: demo\n    app.kubernetes.io/instance: {{ .Release.Name }}';
  await writeFile(join(dir, 'templates', 'deployment.yaml'), `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
  labels:
${labels}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/instance: {{ .Release.Name }}
      annotations:
        checksum/config: {{ .Values.message | sha256sum }}
    spec:
      serviceAccountName: {{ .Release.Name }}-sa
      containers:
      - name: web
        image: {{ .Values.image }}
        env:
        - name: MESSAGE
          valueFrom: {configMapKeyRef: {name: {{ .Release.Name }}-config, key: message}}
        ports:
        - containerPort: 80
          name: http
`);
  await writeFile(join(dir, 'templates', 'service.yaml'), `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector:
    app.kubernetes.io/instance: {{ .Release.Name }}
  ports:
  - name: http
    port: 80
    targetPort: http
`);
  await writeFile(join(dir, 'templates', 'configmap.yaml'), `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  message: {{ .Values.message | quote }}
`);
  await writeFile(join(dir, 'templates', 'secret.yaml'), `apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-secret
type: Opaque
stringData:
  password: s3cr3t-{{ .Release.Revision }}
`);
  await writeFile(join(dir, 'templates', 'serviceaccount.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Release.Name }}-sa\n');
  await writeFile(join(dir, 'templates', 'widget.yaml'), `apiVersion: demo.k8ts.dev/v1
kind: Widget
metadata:
  name: {{ .Release.Name }}-widget
spec:
  color: {{ .Values.color }}
`);
  await writeFile(join(dir, 'templates', 'hook-job.yaml'), `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-smoke
  annotations:
    helm.sh/hook: post-install
    helm.sh/hook-delete-policy: hook-succeeded
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: smoke
        image: busybox
        command: [wget, -qO-, http://{{ .Release.Name }}-web]
`);
}
