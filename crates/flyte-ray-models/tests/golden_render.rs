//! The models render every golden case exactly as flytekit does:
//! `short_string()`, `verbose_string()` (the same, as in flytekit),
//! `Display`, and the text format (Python's `str(msg)`).
#![allow(clippy::unwrap_used)]

#[path = "../../../tests/support/golden.rs"]
mod golden;

use flyte_ray_models::*;

macro_rules! dispatch {
    ($ty:expr, $f:ident $(, $arg:expr)*) => {
        match $ty {
            "RayJob" => $f::<RayJob>($($arg),*),
            "RayCluster" => $f::<RayCluster>($($arg),*),
            "HeadGroupSpec" => $f::<HeadGroupSpec>($($arg),*),
            "WorkerGroupSpec" => $f::<WorkerGroupSpec>($($arg),*),
            "AutoscalerOptions" => $f::<AutoscalerOptions>($($arg),*),
            "K8sPod" => $f::<K8sPod>($($arg),*),
            "K8sObjectMetadata" => $f::<K8sObjectMetadata>($($arg),*),
            "Resources" => $f::<Resources>($($arg),*),
            "DataLoadingConfig" => $f::<DataLoadingConfig>($($arg),*),
            "IOStrategy" => $f::<IOStrategy>($($arg),*),
            other => Err(format!("unknown model type {other}")),
        }
    };
}

fn check<M: FlyteIdlEntity>(case: &golden::Case) -> Result<(), String> {
    let model = M::from_bytes(&case.pb).map_err(|e| e.to_string())?;
    if model.short_string() != case.short_string {
        return Err(format!(
            "short_string:\n{}\n!=\n{}",
            model.short_string(),
            case.short_string
        ));
    }
    if model.verbose_string() != case.short_string {
        return Err("verbose_string differs".into());
    }
    if model.to_string() != case.short_string {
        return Err("Display differs".into());
    }
    if model.text_format() != case.text {
        return Err(format!("text:\n{}\n!=\n{}", model.text_format(), case.text));
    }
    Ok(())
}

#[test]
fn models_render_all_golden_cases_like_flytekit() {
    let cases = golden::cases();
    assert_eq!(cases.len(), golden::EXPECTED_CASES);
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            dispatch!(c.ty.as_str(), check, c)
                .err()
                .map(|e| format!("{}: {e}", c.id))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
