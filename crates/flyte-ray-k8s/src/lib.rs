//! flyte-ray-k8s: under construction; see the open issues.
