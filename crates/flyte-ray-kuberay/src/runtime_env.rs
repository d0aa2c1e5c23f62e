//! `runtimeEnvYAML` from the deprecated base64 `runtime_env` (RENDERING.md
//! §6.10), through `flyte_ray_fmt`'s go-yaml v2 emitter.

use crate::render::RenderError;

/// The YAML Go writes for the base64 `runtime_env` text.
pub(crate) fn convert(runtime_env: &str) -> Result<String, RenderError> {
    Err(RenderError::RuntimeEnv(format!(
        "converting runtime_env ({} bytes) needs flyte_ray_fmt::goyaml, not yet available",
        runtime_env.len()
    )))
}
