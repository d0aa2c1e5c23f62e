//! The invariants the property tests and the fuzz target `task_config`
//! check on any input: reading a document never panics, and a config the
//! builder accepts yields a spec whose bytes decode back to it, whose
//! `custom` JSON reads back to it, and which validates without a panic.

use flyte_ray_models::FlyteIdlEntity;

use crate::{Built, RayJobConfig, Sdk, build};

/// Checks the invariants on one built spec.
///
/// # Errors
/// A description of the broken invariant.
pub fn check_built(built: &Built) -> Result<(), String> {
    let bytes = built.to_bytes();
    let back = flyte_ray_models::RayJob::from_bytes(&bytes)
        .map_err(|e| format!("our bytes do not decode: {e}"))?;
    if back != built.job {
        return Err("our bytes decode to a different RayJob".into());
    }
    let json = built
        .custom_json()
        .map_err(|e| format!("custom is not JSON: {e}"))?;
    let from_json = flyte_ray_models::RayJob::from_json(&json)
        .map_err(|e| format!("our custom JSON does not read back: {e}"))?;
    if from_json.serialize_to_string() != bytes {
        return Err("our custom JSON reads back as a different RayJob".into());
    }
    let _ = built.validate();
    let _ = built.short_string();
    Ok(())
}

/// The fuzz target `task_config`: the first byte picks the SDK (even:
/// flytekit, odd: Flyte 2), the rest is the document. Reading and building
/// may fail but must not panic; what builds must pass [`check_built`].
///
/// ```
/// assert_eq!(flyte_ray_task::testing::check_config_input(b"\x00worker_node_config: []"), Ok(()));
/// assert_eq!(flyte_ray_task::testing::check_config_input(b"\x01{]"), Ok(()));
/// ```
///
/// # Errors
/// A description of the broken invariant.
pub fn check_config_input(data: &[u8]) -> Result<(), String> {
    let Some((&tag, rest)) = data.split_first() else {
        return Ok(());
    };
    let sdk = if tag % 2 == 0 {
        Sdk::Flytekit
    } else {
        Sdk::Flyte2
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return Ok(());
    };
    let Ok(cfg) = RayJobConfig::from_str(text, sdk) else {
        return Ok(());
    };
    match build(&cfg, sdk) {
        Ok(built) => check_built(&built),
        Err(_) => Ok(()),
    }
}
