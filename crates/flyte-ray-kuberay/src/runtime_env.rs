//! `runtimeEnvYAML` from the deprecated base64 `runtime_env` (RENDERING.md
//! §6.10), through `flyte_ray_fmt::goyaml` (Go's base64, `encoding/json` and
//! yaml.v2 v2.4.0 `Marshal`).

use crate::render::RenderError;

/// The YAML Go writes for the base64 `runtime_env` text; Go's error text otherwise.
pub(crate) fn convert(runtime_env: &str) -> Result<String, RenderError> {
    flyte_ray_fmt::goyaml::runtime_env_yaml(runtime_env)
        .map_err(|e| RenderError::RuntimeEnv(e.to_string()))
}
