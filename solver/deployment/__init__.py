"""The yearly deployments of a round: teams, shadows and every quota, along the structural pairs."""

from solver.deployment.plan import (
    DeploymentPlan,
    DeploymentRequest,
    DeploymentStatus,
    not_planned,
    plan_deployments,
)

__all__ = ["DeploymentPlan", "DeploymentRequest", "DeploymentStatus", "not_planned", "plan_deployments"]
