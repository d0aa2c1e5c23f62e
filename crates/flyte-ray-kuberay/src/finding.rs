//! Findings on a rendered resource: what Flyte silently does (RENDERING.md
//! §14) and what KubeRay or the API server will refuse (§15), each with the
//! input path that caused it.

use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Flyte does something the task author probably did not expect.
    Warning,
    /// KubeRay or the API server will refuse the resource.
    Error,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// Warning or error.
    pub severity: Severity,
    /// A stable identifier (`overlay-container-dropped`, `name-hashed`, …).
    pub code: &'static str,
    /// The input that caused it (`custom.rayCluster.headGroupSpec.k8sPod.podSpec.containers[1]`,
    /// `plugins.ray.shutdownAfterJobFinishes`, `execution.name`, …); for the
    /// CRD checks (codes `schema.*` and `kuberay.*`), the path in the
    /// rendered resource
    /// (`spec.rayClusterSpec.headGroupSpec.template.spec.containers[0].imagePullPolicy`).
    pub path: String,
    /// What happens.
    pub message: String,
}

impl Finding {
    pub(crate) fn warning(
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            severity: Severity::Warning,
            code,
            path: path.into(),
            message: message.into(),
        }
    }

    /// A finding of the CRD checks (`flyte_ray_kuberay_api::check`).
    pub(crate) fn from_crd(f: flyte_ray_kuberay_api::Finding) -> Self {
        Finding {
            severity: match f.severity {
                flyte_ray_kuberay_api::Severity::Warning => Severity::Warning,
                flyte_ray_kuberay_api::Severity::Error => Severity::Error,
            },
            code: f.rule,
            path: f.path,
            message: f.message,
        }
    }

    pub(crate) fn error(
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            severity: Severity::Error,
            code,
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}[{}]: {}: {}", self.code, self.path, self.message)
    }
}
