"""deploy/k8s: validated offline with kubernetes-validate --strict (no cluster or Docker here), current with
its generator, and saying what the operations issue asks of it."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
# The versions we claim: the oldest still supported by the big clouds, and a current one. The
# installed kubernetes-validate bundles schemas up to 1.37 (see its -k help).
K8S_VERSIONS = ("1.30.0", "1.34.0")
CONTEXTS = ("ordering", "kitchen", "delivery", "gift", "mypage", "payments")


def manifests() -> list[Path]:
    return sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def documents() -> list[dict]:
    return [doc for path in manifests() for doc in yaml.safe_load_all(path.read_text()) if doc]


def of_kind(kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in documents() if doc["kind"] == kind}


def validate(*paths: Path, version: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kubernetes_validate", "--strict", "-k", version, *map(str, paths)],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_every_manifest_is_valid_for_a_named_kubernetes_version(version):
    result = validate(*manifests(), version=version)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("passed") == len(documents())


def test_strict_validation_catches_a_misspelt_field(tmp_path):
    broken = (K8S / "gift.yaml").read_text().replace("minReadySeconds", "minReadySecond", 1)
    (tmp_path / "gift.yaml").write_text(broken)
    assert validate(tmp_path / "gift.yaml", version=K8S_VERSIONS[-1]).returncode != 0


def test_the_yaml_is_what_the_generator_writes():
    spec = importlib.util.spec_from_file_location("k8s_generate", K8S / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    for name, text in generate.render().items():
        assert (K8S / name).read_text() == text, f"{name} is stale: run python deploy/k8s/generate.py"
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == [p.name for p in manifests()]


def test_each_service_rolls_one_pod_at_a_time_with_probes_and_requests():
    deployments = of_kind("Deployment")
    assert set(deployments) == {"gateway", *CONTEXTS}
    for name, d in deployments.items():
        spec = d["spec"]
        assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}
        assert spec["minReadySeconds"] > 0 and spec["replicas"] >= 2
        container, = spec["template"]["spec"]["containers"]
        assert container["resources"]["requests"].keys() == {"cpu", "memory"}
        live, ready = container["livenessProbe"]["httpGet"]["path"], container["readinessProbe"]["httpGet"]["path"]
        port = container["ports"][0]["containerPort"]
        if name == "gateway":
            assert container["command"] == ["python", "main.py", "gateway", "--port", "8080"] and port == 8080
            assert (live, ready) == ("/health", "/ready")   # services.http.routes.ops
        else:
            assert container["command"] == ["python", "main.py", "service", name, "--port", "8000"] and port == 8000
            assert (live, ready) == ("/livez", "/readyz")   # CHAIN.md
        assert spec["template"]["metadata"]["annotations"]["prometheus.io/path"] == "/metrics"


def test_services_budgets_autoscalers_and_the_outside_world():
    services, budgets, scalers = of_kind("Service"), of_kind("PodDisruptionBudget"), of_kind("HorizontalPodAutoscaler")
    assert set(budgets) == set(of_kind("Deployment")) and all(b["spec"]["minAvailable"] == 1 for b in budgets.values())
    assert set(scalers) == {"ordering", "gift"}
    assert all(s["spec"]["metrics"][0]["resource"]["name"] == "cpu" for s in scalers.values())
    assert {services[n]["spec"]["type"] for n in ("postgres", "nats")} == {"ExternalName"}
    config = of_kind("ConfigMap")["sikdang-config"]["data"]
    assert {"SIKDANG_NATS_URL", "SIKDANG_STREAM", "SIKDANG_SERVICE_URLS", "SIKDANG_LOG_DIR"} <= set(config)
    urls = yaml.safe_load(config["SIKDANG_SERVICE_URLS"])
    assert set(urls) == set(CONTEXTS) and all(f"http://{name}:8000" == url for name, url in urls.items())
    assert "SIKDANG_PG_DSN" in of_kind("Secret")["sikdang-secret"]["stringData"]


def test_the_ingress_sends_the_original_prefixes_and_the_point_of_sale_to_the_gateway():
    paths = of_kind("Ingress")["sikdang"]["spec"]["rules"][0]["http"]["paths"]
    assert {p["path"] for p in paths} == {"/orders", "/cooks", "/cancellations", "/deliveries", "/mypages", "/gifts",
                                          "/payments", "/days", "/menu", "/auth", "/events", "/docs", "/openapi.json"}
    assert {p["backend"]["service"]["name"] for p in paths} == {"gateway"}


def test_the_image_installs_with_the_same_steps_as_dev():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "RUN ./dev setup" in dockerfile
