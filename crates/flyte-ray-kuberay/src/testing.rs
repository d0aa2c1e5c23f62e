//! What the fuzz target `render` checks on any input, shared with the
//! tests (which replay the seeds through it).

use serde_json::Value;

use crate::{ExecutionMetadata, FlyteVersion, PluginConfig, RenderOptions, TaskTemplate, render};

/// The whole render path on arbitrary bytes: the first byte picks the
/// backend (even: Flyte v1, odd: `--flyte 2`), the rest is the task (JSON
/// or YAML text, any of the forms `flyte-ray render` reads). Reading,
/// rendering and writing may fail with an error, never panic; a rendered
/// resource must write as JSON and YAML, the JSON must read back as
/// [`Rendered::json`](crate::Rendered::json), and every finding must name a
/// code and say what is wrong. A broken invariant is described as `Err`.
pub fn check_render_input(data: &[u8]) -> Result<(), String> {
    let Some((&first, rest)) = data.split_first() else {
        return Ok(());
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return Ok(());
    };
    let Ok(task) = TaskTemplate::from_text(text) else {
        return Ok(());
    };
    let flyte = if first & 1 == 1 {
        FlyteVersion::V2
    } else {
        FlyteVersion::V1
    };
    let Ok(r) = render(
        &task,
        &ExecutionMetadata::default(),
        &PluginConfig::default(),
        &RenderOptions::new(flyte),
    ) else {
        return Ok(());
    };
    let json = r
        .to_json_pretty()
        .map_err(|e| format!("to_json_pretty: {e}"))?;
    let back: Value =
        serde_json::from_str(&json).map_err(|e| format!("JSON output does not read back: {e}"))?;
    if &back != r.json() {
        return Err(format!("JSON output reads back as another value:\n{json}"));
    }
    r.to_yaml().map_err(|e| format!("to_yaml: {e}"))?;
    for f in &r.findings {
        if f.code.is_empty() || f.message.is_empty() {
            return Err(format!("finding without code or message: {f:?}"));
        }
    }
    Ok(())
}
