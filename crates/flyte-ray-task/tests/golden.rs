//! Every golden-task case through the library: the same `custom` (JSON,
//! numbers compared numerically), the same bytes as `pb_hex`, or the same
//! error type and message.

#[path = "support/golden.rs"]
mod golden;

use flyte_ray_task::{BuildError, Sdk, build_str};

fn sdk_of(s: &str) -> Sdk {
    match s {
        "flytekit" => Sdk::Flytekit,
        _ => Sdk::Flyte2,
    }
}

/// Runs one case; `Err` says what differs.
fn check(case: &golden::Case) -> Result<(), String> {
    let sdk = sdk_of(&case.sdk);
    let result = build_str(case.config.get(), sdk);
    match (&case.error, result) {
        (None, Ok(built)) => {
            let want = case.custom.as_ref().ok_or("no custom")?;
            let got: serde_json::Value =
                serde_json::from_str(&built.custom_json().map_err(|e| e.to_string())?)
                    .map_err(|e| e.to_string())?;
            if let Some(d) = golden::json_diff(want, &got, "custom") {
                return Err(d);
            }
            let hex = hex::encode(built.to_bytes());
            if Some(&hex) != case.pb_hex.as_ref() {
                return Err(format!("bytes differ: {hex}"));
            }
            // The invariants of the fuzz target hold on every golden spec.
            flyte_ray_task::testing::check_built(&built)
        }
        (Some(e), Err(BuildError::Sdk(got))) => {
            if got.kind.as_str() != e.kind || got.message != e.message {
                return Err(format!(
                    "error differs: want {}: {} got {}: {}",
                    e.kind, e.message, got.kind, got.message
                ));
            }
            if e.code.as_deref() != got.code {
                return Err(format!("code differs: {:?} vs {:?}", e.code, got.code));
            }
            Ok(())
        }
        (Some(e), Ok(_)) => Err(format!("expected {}: {}, built fine", e.kind, e.message)),
        (_, Err(other)) => Err(format!("unexpected error: {other}")),
    }
}

#[test]
fn golden_cases_through_the_library() {
    let cases = golden::cases();
    assert_eq!(cases.len(), 617);
    let only = std::env::var("GOLDEN_SDK").ok();
    let known = golden::known_failures();
    let mut failures = Vec::new();
    let mut passed = 0;
    for case in &cases {
        if only.as_deref().is_some_and(|o| o != case.sdk) {
            continue;
        }
        if known.contains(&case.id) {
            match build_str(case.config.get(), sdk_of(&case.sdk)) {
                Err(BuildError::Unsupported { .. }) => passed += 1,
                _ => failures.push(format!(
                    "{}: listed in known_failures.txt but not refused as unsupported",
                    case.id
                )),
            }
            continue;
        }
        match check(case) {
            Ok(()) => passed += 1,
            Err(e) => failures.push(format!("{} ({:?}): {e}", case.id, case.kind)),
        }
    }
    for f in failures.iter().take(400) {
        eprintln!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ",
        failures.len(),
        passed + failures.len()
    );
}
