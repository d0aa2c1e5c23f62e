//! flyte-ray-fmt: under construction; see the open issues.
