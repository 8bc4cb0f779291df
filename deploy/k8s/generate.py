"""Writes the Kubernetes manifests of the chain in this folder from one table (``python deploy/k8s/generate.py``).

Six Deployments differ in a name, a command and a few numbers; writing them out by hand would repeat
the probes, the rolling-update policy and the environment six times and let them drift. Edit the
table below, run this, commit the YAML: tests/ops/test_k8s.py checks the YAML is what this writes
and validates every document offline (kubernetes-validate --strict).

What they encode (docs/operations.md, "Deploy"): each context a Deployment running
``python main.py service CONTEXT --port 8000`` (the gateway ``python main.py gateway --port 8080``),
rolled one pod at a time with a new pod ready before an old one goes (maxSurge 1, maxUnavailable 0,
minReadySeconds), liveness that depends on nothing outside the process and readiness that checks the
database, the broker and the lags; Prometheus scrapes /metrics; ordering and gift scale on CPU;
a PodDisruptionBudget keeps one of each up through node drains; PostgreSQL and NATS live outside.
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
NAMESPACE = "sikdang"
IMAGE = "ghcr.io/sikdang/sikdang-pos:latest"   # kustomization.yaml's `images:` pins the tag
SERVICE_PORT, GATEWAY_PORT = 8000, 8080
APP = "sikdang-pos"

# context -> (replicas, cpu request, memory request, HPA (min, max) or None)
SERVICES = {
    "gateway": (2, "250m", "256Mi", None),
    "ordering": (2, "250m", "256Mi", (2, 10)),
    "kitchen": (2, "200m", "256Mi", None),
    "delivery": (2, "100m", "192Mi", None),
    "gift": (2, "100m", "192Mi", (2, 6)),
    "mypage": (2, "150m", "256Mi", None),
    "payments": (2, "100m", "192Mi", None),
}
# The original gateway's prefixes, plus sign-in, the live feed and the API's own description.
INGRESS_PREFIXES = ["/orders", "/cooks", "/cancellations", "/deliveries", "/mypages", "/gifts",
                    "/payments", "/days", "/menu", "/auth", "/events", "/docs", "/openapi.json"]


def labels(name: str) -> dict:
    return {"app.kubernetes.io/name": APP, "app.kubernetes.io/component": name}


def meta(name: str, **extra) -> dict:
    return {"name": name, "namespace": NAMESPACE, "labels": labels(name), **extra}


def probes(name: str) -> dict:
    # The gateway is services.http.app (its probes are /health and /ready); a context service
    # answers /livez and /readyz (CHAIN.md).
    live, ready = ("/health", "/ready") if name == "gateway" else ("/livez", "/readyz")
    port = "http"
    return {
        "startupProbe": {"httpGet": {"path": live, "port": port}, "periodSeconds": 2, "failureThreshold": 30},
        "livenessProbe": {"httpGet": {"path": live, "port": port}, "periodSeconds": 10, "timeoutSeconds": 2,
                          "failureThreshold": 3},
        "readinessProbe": {"httpGet": {"path": ready, "port": port}, "periodSeconds": 5, "timeoutSeconds": 3,
                           "failureThreshold": 2},
    }


def deployment(name: str, replicas: int, cpu: str, memory: str) -> dict:
    port = GATEWAY_PORT if name == "gateway" else SERVICE_PORT
    command = (["python", "main.py", "gateway", "--port", str(port)] if name == "gateway"
               else ["python", "main.py", "service", name, "--port", str(port)])
    container = {
        "name": name, "image": IMAGE, "command": command,
        "ports": [{"name": "http", "containerPort": port}],
        "envFrom": [{"configMapRef": {"name": "sikdang-config"}}, {"secretRef": {"name": "sikdang-secret"}}],
        "env": [{"name": "SIKDANG_REPLICA", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                # platformdirs' user data dir (the gateway's default --data): a writable scratch volume
                {"name": "XDG_DATA_HOME", "value": "/var/lib/sikdang"}],
        "resources": {"requests": {"cpu": cpu, "memory": memory}, "limits": {"memory": _double(memory)}},
        **probes(name),
        # The Service stops sending here a moment after the pod is marked terminating; keep serving
        # that moment, then SIGTERM drains (finish in-flight work, ack what is done, hand back the rest).
        "lifecycle": {"preStop": {"exec": {"command": ["sleep", "5"]}}},
        "volumeMounts": [{"name": "logs", "mountPath": "/var/log/sikdang"},
                         {"name": "data", "mountPath": "/var/lib/sikdang"}],
    }
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(name),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels(name)},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
            "minReadySeconds": 10,
            "revisionHistoryLimit": 5,
            "template": {
                "metadata": {"labels": labels(name), "annotations": {
                    "prometheus.io/scrape": "true", "prometheus.io/port": str(port), "prometheus.io/path": "/metrics"}},
                "spec": {
                    "terminationGracePeriodSeconds": 40,
                    "containers": [container],
                    # the original's EFS volume: every pod writes its JSON lines to one shared folder
                    "volumes": [{"name": "logs", "persistentVolumeClaim": {"claimName": "sikdang-logs"}},
                                {"name": "data", "emptyDir": {}}],
                },
            },
        },
    }


def _double(memory: str) -> str:
    return f"{int(memory[:-2]) * 2}{memory[-2:]}"


def service(name: str) -> dict:
    port = GATEWAY_PORT if name == "gateway" else SERVICE_PORT
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta(name),
            "spec": {"selector": labels(name), "ports": [{"name": "http", "port": port, "targetPort": "http"}]}}


def disruption_budget(name: str) -> dict:
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta(name),
            "spec": {"minAvailable": 1, "selector": {"matchLabels": labels(name)}}}


def autoscaler(name: str, least: int, most: int) -> dict:
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta(name),
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                     "minReplicas": least, "maxReplicas": most,
                     "metrics": [{"type": "Resource", "resource": {
                         "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}],
                     # scale down slowly: a replica removed hands its consumers' work back
                     "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300,
                                                "policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]}}}}


def config() -> list[dict]:
    urls = {name: f"http://{name}:{SERVICE_PORT}" for name in SERVICES if name != "gateway"}
    return [
        {"apiVersion": "v1", "kind": "Namespace",
         "metadata": {"name": NAMESPACE, "labels": {"app.kubernetes.io/name": APP}}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("sikdang-config"),
         "data": {"SIKDANG_NATS_URL": "nats://nats:4222", "SIKDANG_STREAM": "SIKDANG",
                  "SIKDANG_SERVICE_URLS": json.dumps(urls, sort_keys=True), "SIKDANG_LOG_DIR": "/var/log/sikdang"}},
        # The real DSN is put in by the operator:
        # kubectl create secret ... --dry-run=client -o yaml | kubectl apply -f -
        {"apiVersion": "v1", "kind": "Secret", "metadata": meta("sikdang-secret"), "type": "Opaque",
         "stringData": {"SIKDANG_PG_DSN": "postgresql://sikdang:CHANGE-ME@postgres:5432/sikdang"}},
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta("sikdang-logs"),
         "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "10Gi"}}}},
    ]


def external() -> list[dict]:
    """PostgreSQL and NATS run outside the cluster (managed database, a NATS cluster): the pods reach
    them by a cluster name that points there."""
    return [{"apiVersion": "v1", "kind": "Service", "metadata": meta(name),
             "spec": {"type": "ExternalName", "externalName": host}}
            for name, host in (("postgres", "postgres.sikdang.example.internal"),
                               ("nats", "nats.sikdang.example.internal"))]


def ingress() -> dict:
    backend = {"service": {"name": "gateway", "port": {"number": GATEWAY_PORT}}}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta("sikdang", annotations={
                # the live feed (/events/stream) is server-sent events: no buffering, long reads
                "nginx.ingress.kubernetes.io/proxy-buffering": "off",
                "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600"}),
            "spec": {"ingressClassName": "nginx", "rules": [{"http": {"paths": [
                {"path": prefix, "pathType": "Prefix", "backend": backend} for prefix in INGRESS_PREFIXES]}}]}}


def documents() -> dict[str, list[dict]]:
    files = {"config.yaml": config(), "external.yaml": external(), "ingress.yaml": [ingress()]}
    for name, (replicas, cpu, memory, hpa) in SERVICES.items():
        docs = [deployment(name, replicas, cpu, memory), service(name), disruption_budget(name)]
        if hpa:
            docs.append(autoscaler(name, *hpa))
        files[f"{name}.yaml"] = docs
    return files


def kustomization(files: list[str]) -> dict:
    return {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "namespace": NAMESPACE,
            "resources": files, "images": [{"name": IMAGE.rsplit(":", 1)[0], "newTag": "latest"}]}


def render() -> dict[str, str]:
    header = "# Written by deploy/k8s/generate.py: edit the table there, run it, commit both.\n"
    out = {name: header + yaml.safe_dump_all(docs, sort_keys=False) for name, docs in documents().items()}
    out["kustomization.yaml"] = header + yaml.safe_dump(kustomization(sorted(out)), sort_keys=False)
    return out


def main() -> None:
    for name, text in render().items():
        (HERE / name).write_text(text)
        print(HERE / name)


if __name__ == "__main__":
    main()
