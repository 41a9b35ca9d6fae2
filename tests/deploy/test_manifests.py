"""Deployment files are valid and keep the promises the README makes about them."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
SERVICES = {"scheduler": 8001, "notifier": 8002, "feedback": 8003}


def _documents(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _core_manifests() -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    """Every object in deploy/kubernetes of a kind the Kubernetes schemas know (not Helm values, not CRDs)."""
    found = []
    for path in sorted(KUBERNETES.glob("*.yaml")):
        for doc in _documents(path):
            if "apiVersion" in doc and not doc["apiVersion"].startswith("postgresql.cnpg.io"):
                found.append((f"{path.name}:{doc['kind']}/{doc['metadata']['name']}", doc))
    return found


@pytest.mark.parametrize(("name", "manifest"), _core_manifests(), ids=[n for n, _ in _core_manifests()])
def test_each_manifest_is_valid_against_the_kubernetes_schema(name: str, manifest: dict) -> None:  # type: ignore[type-arg]
    kubernetes_validate.validate(manifest, kubernetes_validate.latest_version(), strict=True)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_each_service_is_probed_limited_and_unprivileged(service: str) -> None:
    docs = {doc["kind"]: doc for doc in _documents(KUBERNETES / f"{service}.yaml")}
    assert set(docs) == {"Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"}
    pod = docs["Deployment"]["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["command"] == ["python", "-m", service]
    assert container["ports"][0]["containerPort"] == SERVICES[service]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"]) and "memory" in container["resources"]["limits"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert {"configMapRef": {"name": "brug-config"}} in container["envFrom"]
    assert {"secretRef": {"name": "brug-secrets"}} in container["envFrom"]
    assert docs["PodDisruptionBudget"]["spec"]["minAvailable"] >= 1
    assert docs["HorizontalPodAutoscaler"]["spec"]["minReplicas"] >= 2


def test_streams_are_replicated_three_times_on_a_three_node_jetstream_cluster() -> None:
    [config] = _documents(KUBERNETES / "config.yaml")
    assert config["data"]["BRUG_STREAM_REPLICAS"] == "3"
    [values] = _documents(KUBERNETES / "nats-values.yaml")
    assert values["config"]["cluster"] == {"enabled": True, "replicas": 3}
    assert values["config"]["jetstream"]["enabled"] is True
    assert values["config"]["jetstream"]["merge"]["sync_interval"] == "always"


def test_the_config_map_holds_no_secret() -> None:
    [config] = _documents(KUBERNETES / "config.yaml")
    assert not [k for k in config["data"] if any(w in k for w in ("KEY", "SECRET", "PASSWORD", "DATABASE_URL"))]


def test_docker_compose_is_valid_against_the_compose_specification() -> None:
    schema_file = resources.files("check_jsonschema") / "builtin_schemas" / "vendor" / "compose-spec.json"
    schema = json.loads(schema_file.read_text())
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    jsonschema.validate(compose, schema)
    services = compose["services"]
    assert set(services) == {"nats", "postgres", *SERVICES}
    for name in SERVICES:
        assert services[name]["depends_on"] == {
            "nats": {"condition": "service_healthy"},
            "postgres": {"condition": "service_healthy"},
        }
        assert f"http://127.0.0.1:{SERVICES[name]}/readyz" in " ".join(services[name]["healthcheck"]["test"])
    assert "./deploy/nats/nats.conf:/etc/nats/nats.conf:ro" in services["nats"]["volumes"]
