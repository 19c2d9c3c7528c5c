"""prefect.yaml as the one description of arshjul's deployments, for `serve` and `demo`."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from models.settings import CODE_ROOT, ROOT

PREFECT_YAML = ROOT / "prefect.yaml"


@dataclass
class DeploymentSpec:
    """One entry of prefect.yaml's `deployments:`."""

    name: str
    entrypoint: str
    description: str = ""
    tags: list[str] = field(default_factory=list)
    parameters: dict = field(default_factory=dict)
    schedules: list[dict] = field(default_factory=list)

    @property
    def module(self) -> str:
        """`flows/tick.py:tick` → `flows.tick`."""
        return self.entrypoint.split(":")[0].removesuffix(".py").replace("/", ".")

    @property
    def function(self) -> str:
        return self.entrypoint.split(":")[1]

    def exists(self, root: Path = CODE_ROOT) -> bool:
        """True when the flow's file is installed (areas land one by one)."""
        return (root / self.entrypoint.split(":")[0]).exists()

    def load_flow(self):
        """Import the flow object named by the entrypoint."""
        return getattr(importlib.import_module(self.module), self.function)


def read_specs(path: Path = PREFECT_YAML) -> list[DeploymentSpec]:
    """The deployments of prefect.yaml, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    keys = DeploymentSpec.__dataclass_fields__
    return [DeploymentSpec(**{k: v for k, v in d.items() if k in keys and v is not None})
            for d in data.get("deployments", [])]


def runner_deployments(specs: list[DeploymentSpec]) -> list:
    """RunnerDeployments for `prefect.serve`: same names, schedules, parameters and tags."""
    from prefect.schedules import Cron
    from prefect.types.entrypoint import EntrypointType

    out = []
    for spec in specs:
        schedules = [
            Cron(s["cron"], timezone=s.get("timezone"), active=s.get("active", True))
            for s in spec.schedules
        ]
        out.append(spec.load_flow().to_deployment(
            name=spec.name, schedules=schedules, parameters=spec.parameters, tags=spec.tags,
            description=spec.description, entrypoint_type=EntrypointType.MODULE_PATH,
        ))
    return out


def describe(spec: DeploymentSpec, flow_name: str) -> str:
    """`tick/daily: 0 8 * * 1-5 (the organisation's timezone)` for the start message."""
    when = ", ".join(f"{s['cron']} ({s.get('timezone', 'UTC')})" for s in spec.schedules)
    return f"{flow_name}/{spec.name}: {when or 'utan schema'}"
