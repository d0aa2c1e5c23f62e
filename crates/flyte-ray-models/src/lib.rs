//! flyte-ray-models: under construction; see the open issues.
