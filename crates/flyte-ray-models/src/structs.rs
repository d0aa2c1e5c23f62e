//! The `google.protobuf.Struct` bridge: every model to and from the
//! `Struct` a Flyte `TaskTemplate` keeps in `custom`.
//!
//! flytekit fills `custom` with `json_format.Parse(json.dumps(d), Struct())`
//! where `d` is `MessageToDict(model.to_flyte_idl())`, and reads it back with
//! `MessageToDict(custom)` then `ParseDict`. So the bridge *is* the proto3
//! JSON mapping of [`crate::json`], with a `Struct` in place of the JSON
//! text: [`to_struct`](crate::FlyteIdlEntity::to_struct) gives what
//! flytekit stores (every number a double, enums by name, fields at their
//! default left out), and
//! [`from_struct`](crate::FlyteIdlEntity::from_struct) accepts and refuses
//! exactly what [`from_json`](crate::FlyteIdlEntity::from_json) does with the
//! same JSON, with the same messages and paths.
//!
//! What JSON cannot hold, neither side of the bridge does: a NaN or
//! infinite number in a pod spec fails `to_struct` (as `to_json` and
//! flytekit's `MessageToDict` do) and a NaN or infinite number anywhere in a
//! `Struct` fails `from_struct`, naming its path.
//!
//! Both directions go through a `serde_json::Value`, reusing the one JSON
//! codec (so the two mappings cannot drift apart) rather than a second,
//! hand-written `Struct` walker.

use prost_types::Struct;

use crate::json::{JsonError, JsonOptions, Message, read_value};
use crate::wire::WireDepth;

/// The model as a `Struct`, through its JSON mapping.
pub(crate) fn to_struct<T: serde::Serialize>(model: &T) -> Result<Struct, JsonError> {
    let value = serde_json::to_value(model).map_err(|e| JsonError::Write(e.to_string()))?;
    flyte_ray_k8s::json_to_struct(&value).map_err(|e| JsonError::Write(e.to_string()))
}

/// The model a `Struct` holds, through its JSON mapping.
pub(crate) fn from_struct<T: Message + WireDepth>(
    s: &Struct,
    options: &JsonOptions,
) -> Result<T, JsonError> {
    let map = flyte_ray_k8s::struct_to_json(s).map_err(|e| {
        let path = e.path();
        JsonError::Read {
            path: if path.is_empty() {
                ".".to_owned()
            } else {
                path.to_owned()
            },
            message: e
                .to_string()
                .strip_prefix(&format!("{path}: "))
                .map(str::to_owned)
                .unwrap_or_else(|| e.to_string()),
        }
    })?;
    read_value(serde_json::Value::Object(map), options)
}
