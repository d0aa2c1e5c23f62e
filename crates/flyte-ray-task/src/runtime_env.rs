//! `runtime_env`'s two encodings: Python's `json.dumps` and PyYAML's
//! `yaml.dump`, both with their defaults (`flyte_ray_fmt::pyjson` and
//! `flyte_ray_fmt::pyyaml`).

use flyte_ray_fmt::pyobj::{PyInt, PyValue};

use crate::doc::Node;
use crate::error::ConfigError;

/// The document value as the Python object `json.loads` makes of it.
fn to_py(n: &Node) -> Result<PyValue, ConfigError> {
    Ok(match n {
        Node::Null => PyValue::None,
        Node::Bool(b) => PyValue::Bool(*b),
        Node::Int(s) => PyValue::Int(s.parse::<PyInt>().map_err(|e| ConfigError::Invalid {
            path: "runtime_env".into(),
            message: e.to_string(),
        })?),
        Node::Float(f) => PyValue::Float(*f),
        Node::Str(s) => PyValue::Str(s.clone()),
        Node::List(items) => PyValue::List(items.iter().map(to_py).collect::<Result<_, _>>()?),
        Node::Map(entries) => PyValue::Dict(
            entries
                .iter()
                .map(|(k, v)| Ok((k.clone(), to_py(v)?)))
                .collect::<Result<_, ConfigError>>()?,
        ),
    })
}

/// `(json.dumps(env), yaml.dump(env))`.
pub(crate) fn encode(env: &Node) -> Result<(String, String), ConfigError> {
    let py = to_py(env)?;
    Ok((
        flyte_ray_fmt::pyjson::dumps(&py),
        flyte_ray_fmt::pyyaml::dump(&py),
    ))
}
